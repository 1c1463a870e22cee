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
        // the upstream channel's own decoder: a fresh login's, or a reused connection's (UpstreamPool), whose run mode
        // the previous session may have left on
        this.decoder = (PgBackendDecoder) session.upstream.pipeline().get(PgSession.DECODER);
        decoder.coalesce(!capturing);
    }

    void fromUpstream(PgFrame frame) {
        Batch batch = upstreamBatch();
        boolean forward;
        try {
            forward = track(frame, batch);
        } catch (RuntimeException ex) {
            frame.release();
            throw ex;
        }
        if (capturing) {
            coalesceRows(frame.type(), batch);
        }
        if (session.state != PgSession.State.RELAY) {
            frame.release();
            return;
        }
        if (frame.type() == 'Z') {
            onReady(frame);
            return;
        }
        if (forward && relay.cut == null) {
            session.clientOut.forward(frame.content());
        } else {
            frame.release();
        }
    }

    /**
     * A run of DataRow or CopyData messages, sent by the decoder when nothing reads them: they all belong to the
     * running statement, whose byte count grows by the run's length, and they are forwarded as one write unless a
     * result is being cut.
     */
    void fromUpstream(PgFrameRun run) {
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

    /** Updates statement state from an upstream frame; false when the frame must not reach the client. */
    private boolean track(PgFrame frame, Batch batch) {
        Execution current = batch.simple != null ? batch.simple : batch.executions.peek();
        switch (frame.type()) {
            // column names and types serve result capture only: without it, match the message but skip the decoding
            case 'T' -> onRowDescription(batch,
                    capturing ? RowDescription.decode(frame.body(), session.charset).columns() : null);
            case 'n' -> {
                if (batch.simple == null) {
                    batch.describes.poll();
                }
            }
            case 't' -> {
                if (batch.describes.peek() instanceof Statement statement) {
                    statement.types = BackendMessages.parameterTypes(frame.body());
                }
            }
            case 'D' -> {
                if (current != null) {
                    current.bytes += frame.wireLength();
                    if (relay.cut == null && capturing) {
                        relay.capture.dataRow(current, frame.body());
                    }
                }
            }
            case 'd' -> {
                if (current != null) {
                    current.bytes += frame.wireLength();
                    if (relay.cut == null && capturing) {
                        relay.capture.copyData(current, frame.body());
                    }
                }
            }
            case 'G', 'H' -> {
                if (current != null) {
                    int format = BackendMessages.copyFormat(frame.body());
                    relay.capture.copyStarted(current, frame.type() == 'G', format);
                }
            }
            case 'C' -> onCommandComplete(batch, BackendMessages.commandTag(frame.body(), session.charset));
            case 'I', 's' -> {
                if (batch.simple == null) {
                    relay.complete(batch.executions.poll());
                }
            }
            case 'E' -> {
                ErrorFields error = ErrorFields.decode(frame.body(), session.charset);
                if (batch.aborted && error.message().contains(Relay.ABORT_MARKER)) {
                    return false;
                }
                onError(batch, error);
            }
            case 'S' -> {
                return onParameterStatus(BackendMessages.parameterStatus(frame.body(), session.charset));
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

    private void onCommandComplete(Batch batch, String tag) {
        Execution execution = batch.simple != null ? batch.simple : batch.executions.poll();
        if (execution == null) {
            return;
        }
        execution.rowsAffected = BackendMessages.rowsOfTag(tag);
        if (execution.copy.isEmpty() && tag.startsWith("COPY")) {
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

    private void onReady(PgFrame frame) {
        session.transactionStatus = BackendMessages.transactionStatus(frame.body());
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
        session.clientOut.forward(frame.content());
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
