package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.CopyInfo;
import dev.dbbat.protocol.pg.codec.PgBackendDecoder;
import dev.dbbat.protocol.pg.message.BackendMessages;
import dev.dbbat.protocol.pg.message.ErrorFields;
import dev.dbbat.protocol.pg.message.PgFrame;
import dev.dbbat.protocol.pg.message.PgFrameRun;
import dev.dbbat.protocol.pg.message.RowDescription;
import io.netty.buffer.ByteBuf;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The upstream → client half of the {@link Relay}: matches each upstream message to the batch and statement it
 * answers (RowDescription to a Describe or a simple query, DataRow/CopyData to the running statement, CommandComplete
 * / ErrorResponse / EmptyQueryResponse / PortalSuspended end an Execute, ReadyForQuery ends a batch), reports the
 * outcomes, and forwards the frame unchanged unless a result is being cut. Single-threaded, like the relay.
 */
final class ResponseTracker {
    private final Relay relay;
    private final PgSession session;
    /** Result capture on: rows and column descriptions are decoded (else only matched and counted). */
    private final boolean capturing;
    /** Told when rows may be forwarded in runs (always without capture; see {@link #coalesceRows}). */
    private final PgBackendDecoder decoder;

    ResponseTracker(Relay relay) {
        this.relay = relay;
        this.session = relay.session;
        this.capturing = session.context.config.captureResults();
        // the upstream channel's own decoder: a fresh login's, or a reused connection's (UpstreamPool), whose modes
        // the previous session set
        this.decoder = (PgBackendDecoder) session.upstream.pipeline().get(PgSession.DECODER);
        decoder.coalesce(false);
        decoder.wholeReads(!capturing);
    }

    void fromUpstream(PgFrame frame) {
        Batch batch = upstreamBatch();
        ByteBuf content = frame.content();
        byte type = frame.type();
        boolean forward;
        try {
            forward = track(type, content, content.readerIndex(), content.readableBytes(), batch);
        } catch (RuntimeException ex) {
            frame.release();
            throw ex;
        }
        if (capturing) {
            coalesceRows(type, batch);
        }
        if (session.state != PgSession.State.RELAY) {
            frame.release();
            return;
        }
        if (type == 'Z') {
            onReady(content, content.readerIndex(), content.readableBytes());
            forwardReady(content);
            return;
        }
        if (forward && relay.cut == null) {
            session.clientOut.forward(content);
        } else {
            frame.release();
        }
    }

    /**
     * A run of messages: DataRow or CopyData messages of the running statement, or, without result capture, a whole
     * read of any messages (see {@link PgBackendDecoder#wholeReads}), tracked where they lie in the read buffer.
     */
    void fromUpstream(PgFrameRun run) {
        if (run.type() == 'D' || run.type() == 'd') {
            rows(run);
        } else {
            scan(run);
        }
    }

    /**
     * Rows all belong to the running statement, whose byte count grows by the run's length, and they are forwarded
     * as one write unless a result is being cut.
     */
    private void rows(PgFrameRun run) {
        Batch batch = upstreamBatch();
        Execution current = batch.simple != null ? batch.simple : batch.executions.peek();
        if (capturing && !rowsSkipped(current)) {
            split(run);
            return;
        }
        if (current != null) {
            current.bytes += run.wireLength();
        }
        if (session.state != PgSession.State.RELAY || relay.cut != null) {
            run.release();
            return;
        }
        session.clientOut.forward(run.content());
    }

    /**
     * Tracks a whole read message by message in place (no object per message) and forwards it in as few slices as
     * the messages it must drop and the messages the proxy writes itself allow: normally the whole read in one.
     */
    private void scan(PgFrameRun run) {
        ByteBuf in = run.content();
        try {
            int end = in.writerIndex();
            int span = in.readerIndex(); // the first byte not yet forwarded nor dropped
            Batch batch = upstreamBatch();
            for (int at = span; at < end; ) {
                if (session.state != PgSession.State.RELAY) {
                    return;
                }
                byte type = in.getByte(at);
                int wire = in.getInt(at + 1) + 1;
                int next = at + wire;
                if (type == 'Z') {
                    if (!batch.refusals.isEmpty()) { // they go to the client just before this ReadyForQuery
                        forward(in, span, at);
                        span = at;
                    }
                    onReady(in, at, wire);
                    if (!relay.pending.isEmpty() && relay.pending.peek().synthetic) {
                        forward(in, span, next);
                        span = next;
                        emitSynthetic();
                    }
                    batch = upstreamBatch();
                } else if (!track(type, in, at, wire, batch) || relay.cut != null) {
                    forward(in, span, at);
                    span = next;
                }
                at = next;
            }
            if (session.state == PgSession.State.RELAY) {
                forward(in, span, end);
            }
        } finally {
            run.release();
        }
    }

    private void forward(ByteBuf in, int from, int to) {
        if (to > from) {
            session.clientOut.forward(in.retainedSlice(from, to - from));
        }
    }

    /**
     * With result capture on, rows are decoded one by one until the statement's capture is full (truncated) or its
     * result is being cut: from then on nothing reads them, and the decoder may forward them in runs. Any other
     * message may start another statement, so rows come one by one again until a row of that statement says
     * otherwise.
     */
    private void coalesceRows(byte type, Batch batch) {
        boolean skipped = false;
        if (type == 'D' || type == 'd') {
            skipped = rowsSkipped(batch.simple != null ? batch.simple : batch.executions.peek());
        }
        decoder.coalesce(skipped);
    }

    /** Whether result capture ignores the rows of {@code current} (capture full, or its result being cut). */
    private boolean rowsSkipped(Execution current) {
        return relay.cut != null || current != null && current.truncated;
    }

    /** Tracks a run message by message (for result capture, which decodes each row). */
    private void split(PgFrameRun run) {
        ByteBuf content = run.content();
        try {
            while (content.isReadable()) {
                int wire = content.getInt(content.readerIndex() + 1) + 1;
                fromUpstream(new PgFrame(run.type(), content.readRetainedSlice(wire)));
            }
        } finally {
            run.release();
        }
    }

    /** The body of the message of {@code wire} bytes at {@code at}, a slice valid while {@code in} is. */
    private static ByteBuf body(ByteBuf in, int at, int wire) {
        return in.slice(at + 5, wire - 5);
    }

    /**
     * Updates statement state from the upstream message of {@code wire} bytes at {@code at} in {@code in} (any but a
     * ReadyForQuery); false when it must not reach the client.
     */
    private boolean track(byte type, ByteBuf in, int at, int wire, Batch batch) {
        Execution current = batch.simple != null ? batch.simple : batch.executions.peek();
        switch (type) {
            // column names and types serve result capture only: without it, match the message but skip the decoding
            case 'T' -> onRowDescription(batch,
                    capturing ? RowDescription.decode(body(in, at, wire), session.charset).columns() : null);
            case 'n' -> {
                if (batch.simple == null) {
                    batch.describes.poll();
                }
            }
            case 't' -> {
                if (batch.describes.peek() instanceof Statement statement) {
                    statement.types = BackendMessages.parameterTypes(body(in, at, wire));
                }
            }
            case 'D' -> {
                if (current != null) {
                    current.bytes += wire;
                    if (relay.cut == null && capturing) {
                        relay.capture.dataRow(current, body(in, at, wire));
                    }
                }
            }
            case 'd' -> {
                if (current != null) {
                    current.bytes += wire;
                    if (relay.cut == null && capturing) {
                        relay.capture.copyData(current, body(in, at, wire));
                    }
                }
            }
            case 'G', 'H' -> {
                if (current != null) {
                    int format = BackendMessages.copyFormat(body(in, at, wire));
                    relay.capture.copyStarted(current, type == 'G', format);
                }
            }
            case 'C' -> onCommandComplete(batch, in, at + 5, at + wire);
            case 'I', 's' -> {
                if (batch.simple == null) {
                    relay.complete(batch.executions.poll());
                }
            }
            case 'E' -> {
                ErrorFields error = ErrorFields.decode(body(in, at, wire), session.charset);
                if (batch.aborted && error.message().contains(Relay.ABORT_MARKER)) {
                    return false;
                }
                onError(batch, error);
            }
            case 'S' -> {
                return onParameterStatus(BackendMessages.parameterStatus(body(in, at, wire), session.charset));
            }
            default -> {
                return true;
            }
        }
        return true;
    }

    private Batch upstreamBatch() {
        for (Batch each : relay.pending) {
            if (!each.synthetic) {
                return each;
            }
        }
        return relay.open;
    }

    private void onRowDescription(Batch batch, List<RowDescription.Column> columns) {
        if (batch.simple != null) {
            batch.simple.columns = columns;
            return;
        }
        Object described = batch.describes.poll();
        if (described instanceof Statement statement) {
            statement.columns = columns;
        } else if (described instanceof Portal portal) {
            portal.columns = columns;
        }
    }

    /** CommandComplete, its tag in {@code in} from {@code from} to {@code to}. */
    private void onCommandComplete(Batch batch, ByteBuf in, int from, int to) {
        Execution execution = batch.simple != null ? batch.simple : batch.executions.poll();
        if (execution == null) {
            return;
        }
        execution.rowsAffected = BackendMessages.rowsOfTag(in, from, to);
        if (execution.copy.isEmpty() && BackendMessages.isCopyTag(in, from, to)) {
            execution.copy = Optional.of(new CopyInfo("out", "text"));
        }
        if (batch.simple == null) {
            relay.complete(execution);
        }
    }

    private void onError(Batch batch, ErrorFields error) {
        Execution execution = batch.simple != null ? batch.simple : batch.executions.poll();
        batch.describes.clear();
        if (execution == null) {
            return;
        }
        execution.error = error.message();
        execution.sqlState = error.sqlState();
        if (batch.simple == null) {
            relay.complete(execution);
        }
    }

    private boolean onParameterStatus(Map.Entry<String, String> status) {
        String name = status.getKey();
        String value = status.getValue();
        if (name.equals("client_encoding")) {
            session.charset = Encodings.charset(value);
        }
        if (relay.grant.readOnly() && name.equals("default_transaction_read_only") && !value.equals("on")) {
            session.client.eventLoop().execute(() -> session.fatal("25006",
                    "terminating connection: read-only mode was turned off in a read-only session", null,
                    CloseReason.of(CloseReason.Kind.TERMINATED, "read-only mode turned off")));
            return false;
        }
        return true;
    }

    /**
     * ReadyForQuery ({@code wire} bytes at {@code at}): ends the upstream's oldest batch, reports what it left
     * unreported, and writes its refusals, which go just before this message.
     */
    private void onReady(ByteBuf in, int at, int wire) {
        session.transactionStatus = BackendMessages.transactionStatus(body(in, at, wire));
        Batch batch = pollUpstreamBatch();
        if (batch != null) {
            if (batch.simple != null) {
                relay.complete(batch.simple);
            }
            for (Execution each; (each = batch.executions.poll()) != null; ) {
                each.error = "not executed: an earlier message of the batch failed";
                relay.complete(each);
            }
            relay.writeRefusals(batch);
        }
        relay.cut = null;
    }

    /** Forwards a ReadyForQuery (ownership passes here), then answers the refused queries that waited for it. */
    private void forwardReady(ByteBuf content) {
        session.clientOut.forward(content);
        emitSynthetic();
    }

    private void emitSynthetic() {
        while (!relay.pending.isEmpty() && relay.pending.peek().synthetic) {
            relay.emit(relay.pending.poll());
        }
    }

    private Batch pollUpstreamBatch() {
        for (Iterator<Batch> it = relay.pending.iterator(); it.hasNext(); ) {
            Batch each = it.next();
            if (!each.synthetic) {
                it.remove();
                return each;
            }
        }
        Batch result = relay.open;
        relay.open = new Batch(null, false);
        return result.isEmpty() && result.executions.isEmpty() ? null : result;
    }
}
