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

    /** An upstream message that came on its own (with result capture, or one that straddled two reads). */
    void fromUpstream(PgFrame frame) {
        ByteBuf content = frame.content();
        try {
            message(frame.type(), content, content.readerIndex(), content.readableBytes(), upstreamBatch());
        } finally {
            frame.release();
        }
    }

    /**
     * A run of messages: DataRow or CopyData messages of the running statement, or, without result capture, a whole
     * read of any messages (see {@link PgBackendDecoder#wholeReads}), tracked where they lie in the read buffer and
     * forwarded in as few writes as the messages dropped and the proxy's own writes allow (normally one).
     */
    void fromUpstream(PgFrameRun run) {
        if (run.type() == 'D' || run.type() == 'd') {
            rows(run);
            return;
        }
        ByteBuf in = run.content();
        try {
            Batch batch = upstreamBatch();
            for (int at = in.readerIndex(), end = in.writerIndex(); at < end; ) {
                if (session.state != PgSession.State.RELAY) {
                    return;
                }
                byte type = in.getByte(at);
                int wire = in.getInt(at + 1) + 1;
                message(type, in, at, wire, batch);
                if (type == 'Z') {
                    batch = upstreamBatch();
                }
                at += wire;
            }
        } finally {
            run.release();
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

    /** One upstream message of {@code wire} bytes at {@code at} in {@code in} (which stays the caller's). */
    private void message(byte type, ByteBuf in, int at, int wire, Batch batch) {
        boolean forward = track(type, in, at, wire, batch);
        if (capturing) {
            coalesceRows(type, batch);
        }
        if (session.state != PgSession.State.RELAY) {
            return;
        }
        if (type == 'Z') {
            onReady(in, at, wire);
            session.clientOut.forward(in, at, wire);
            // refused queries that waited for this batch are answered now
            while (!relay.pending.isEmpty() && relay.pending.peek().synthetic) {
                relay.emit(relay.pending.poll());
            }
        } else if (forward && relay.cut == null) {
            session.clientOut.forward(in, at, wire);
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

    /** Tracks a run of rows message by message (for result capture, which decodes each row). */
    private void split(PgFrameRun run) {
        ByteBuf in = run.content();
        try {
            for (int at = in.readerIndex(), end = in.writerIndex(); at < end; ) {
                int wire = in.getInt(at + 1) + 1;
                message(run.type(), in, at, wire, upstreamBatch());
                at += wire;
            }
        } finally {
            run.release();
        }
    }


    /**
     * Updates statement state from the upstream message of {@code wire} bytes at {@code at} in {@code in} (a
     * ReadyForQuery's part is {@link #onReady}); false when it must not reach the client.
     */
    private boolean track(byte type, ByteBuf in, int at, int wire, Batch batch) {
        Execution current = batch.simple != null ? batch.simple : batch.executions.peek();
        switch (type) {
            // column names and types serve result capture only: without it, match the message but skip the decoding
            case 'T' -> onRowDescription(batch,
                    capturing ? RowDescription.decode(PgFrame.body(in, at, wire), session.charset).columns() : null);
            case 'n' -> {
                if (batch.simple == null) {
                    batch.describes.poll();
                }
            }
            case 't' -> {
                if (batch.describes.peek() instanceof Statement statement) {
                    statement.types = BackendMessages.parameterTypes(PgFrame.body(in, at, wire));
                }
            }
            case 'D' -> {
                if (current != null) {
                    current.bytes += wire;
                    if (relay.cut == null && capturing) {
                        relay.capture.dataRow(current, PgFrame.body(in, at, wire));
                    }
                }
            }
            case 'd' -> {
                if (current != null) {
                    current.bytes += wire;
                    if (relay.cut == null && capturing) {
                        relay.capture.copyData(current, PgFrame.body(in, at, wire));
                    }
                }
            }
            case 'G', 'H' -> {
                if (current != null) {
                    int format = BackendMessages.copyFormat(PgFrame.body(in, at, wire));
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
                ErrorFields error = ErrorFields.decode(PgFrame.body(in, at, wire), session.charset);
                if (batch.aborted && error.message().contains(Relay.ABORT_MARKER)) {
                    return false;
                }
                onError(batch, error);
            }
            case 'S' -> {
                return onParameterStatus(BackendMessages.parameterStatus(PgFrame.body(in, at, wire), session.charset));
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
        session.transactionStatus = BackendMessages.transactionStatus(PgFrame.body(in, at, wire));
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
