package dev.dbbat.protocol.pg.session;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** Messages up to one ReadyForQuery. Single-threaded. */
final class Batch {
    final Execution simple;
    final boolean synthetic;
    // one per Sync or Query: sized for the usual one or two entries (the default would allocate 17 slots each)
    final ArrayDeque<Execution> executions = new ArrayDeque<>(2);
    final ArrayDeque<Object> describes = new ArrayDeque<>(2);
    final List<String[]> refusals = new ArrayList<>();
    boolean forwardedAny;
    boolean beginsTransaction;
    boolean aborted;

    Batch(Execution simple, boolean synthetic) {
        this.simple = simple;
        this.synthetic = synthetic;
    }

    boolean isEmpty() {
        return !forwardedAny && refusals.isEmpty();
    }
}
