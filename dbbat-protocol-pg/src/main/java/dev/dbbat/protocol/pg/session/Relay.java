package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.UuidV7;
import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.Control;
import dev.dbbat.core.event.GrantInfo;
import dev.dbbat.core.event.QueryEvent;
import dev.dbbat.core.event.QueryOutcome;
import dev.dbbat.core.event.QueryParameters;
import dev.dbbat.core.spi.Decision;
import dev.dbbat.protocol.pg.internal.ByteBufs;
import dev.dbbat.protocol.pg.message.Bind;
import dev.dbbat.protocol.pg.message.DescribeTarget;
import dev.dbbat.protocol.pg.message.Execute;
import dev.dbbat.protocol.pg.message.Parse;
import dev.dbbat.protocol.pg.message.PgFrame;
import dev.dbbat.protocol.pg.message.PgFrameRun;
import dev.dbbat.protocol.pg.message.PgMessages;
import io.netty.buffer.ByteBuf;
import java.nio.charset.Charset;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay of a logged-in session: forwards frames unchanged in both directions, decoding only what policy and
 * logging need; applies the SQL policy and {@code onQuery} to every Query, Parse and Execute; reports one event per
 * simple Query message and per Execute, with its rows and outcome.
 *
 * <p>Ordering: messages the proxy writes itself (refusals) must reach the client in protocol order. Every forwarded
 * Sync, Query or FunctionCall opens a {@link Batch} closed by the upstream's ReadyForQuery; a refused simple Query is
 * a synthetic batch answered when every earlier batch is done; an extended-protocol refusal discards client messages
 * until Sync, forwards that Sync, and emits its ErrorResponse just before the upstream's ReadyForQuery, which carries
 * the real transaction status. A refused statement never reaches the upstream, so a transaction block stays open
 * (not failed); but an implicit-transaction batch (status {@code I}, no BEGIN in it) whose earlier statements already
 * ran is made to fail upstream so they roll back, as PostgreSQL would roll back the batch.
 *
 * <p>Known limits: the refusal of an extended batch is delivered at its Sync (a client that sends Flush and waits
 * gets it only then); a simple Query refused while an extended batch is open without Sync is answered after that
 * batch's ReadyForQuery.
 *
 * <p>Single-threaded: the session's event loop.
 */
final class Relay {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);
    /** Parsed upstream to make it fail, and so roll back, an implicit-transaction batch that had a refusal. */
    static final String ABORT_MARKER = "dbbat_refused_statement_rolls_back_batch";

    final PgSession session;
    final GrantInfo grant;
    private final Set<Control> controls;
    final Map<String, Statement> statements = new HashMap<>();
    final Map<String, Portal> portals = new HashMap<>();
    final ArrayDeque<Batch> pending = new ArrayDeque<>();
    Batch open = new Batch(null, false);
    private boolean discarding;
    String[] cut;
    final ResultCapture capture;
    private final ResponseTracker responses;

    Relay(PgSession session, GrantInfo grant) {
        this.session = session;
        this.grant = grant;
        this.controls = grant.controls();
        this.capture = new ResultCapture(session);
        this.responses = new ResponseTracker(this);
    }

    boolean idle() {
        return pending.isEmpty() && open.isEmpty();
    }

    // ---- client → upstream -----------------------------------------------------------------------------------------

    /** A client message that came on its own (the rest came whole; see {@link #fromClient(PgFrameRun)}). */
    void fromClient(PgFrame frame) {
        ByteBuf content = frame.content();
        try {
            message(frame.type(), content, content.readerIndex(), content.readableBytes());
        } finally {
            frame.release();
        }
    }

    /**
     * Client messages read whole, tracked where they lie in the read buffer: what is forwarded goes upstream in as few
     * writes as the messages dropped and the proxy's own writes allow (normally one), with no object per message.
     */
    void fromClient(PgFrameRun run) {
        ByteBuf in = run.content();
        try {
            for (int at = in.readerIndex(), end = in.writerIndex(); at < end; ) {
                if (session.state != PgSession.State.RELAY) {
                    return;
                }
                int wire = in.getInt(at + 1) + 1;
                message(in.getByte(at), in, at, wire);
                at += wire;
            }
        } finally {
            run.release();
        }
    }

    /** One client message of {@code wire} bytes at {@code at} in {@code in} (which stays the caller's). */
    private void message(byte type, ByteBuf in, int at, int wire) {
        if (type == 'X') {
            session.end(CloseReason.of(CloseReason.Kind.CLIENT_CLOSED, "client terminated"), null);
            return;
        }
        if (discarding && type != 'S') {
            return;
        }
        switch (type) {
            case 'Q' -> onQuery(in, at, wire);
            case 'P' -> onParse(in, at, wire);
            case 'B' -> onBind(in, at, wire);
            case 'E' -> onExecute(in, at, wire);
            case 'D' -> onDescribe(in, at, wire);
            case 'C' -> onClose(in, at, wire);
            case 'S' -> onSync(in, at, wire);
            case 'F' -> onFunctionCall(in, at, wire);
            default -> session.upstreamOut.forward(in, at, wire); // Flush, CopyData/Done/Fail, ...
        }
    }

    /** FunctionCall (fastpath) can run any function, so a read-only grant refuses it outright. */
    private void onFunctionCall(ByteBuf in, int at, int wire) {
        if (controls.contains(Control.READ_ONLY)) {
            refuse(newEvent("<function call>", Optional.empty()), Decision.INSUFFICIENT_PRIVILEGE,
                    "function calls are not permitted with read-only access", true);
            return;
        }
        pending.add(new Batch(null, false));
        session.upstreamOut.forward(in, at, wire);
    }

    /** Forwards a message of the open extended-protocol batch. */
    private void forward(ByteBuf in, int at, int wire) {
        open.forwardedAny = true;
        session.upstreamOut.forward(in, at, wire);
    }

    private void onQuery(ByteBuf in, int at, int wire) {
        String sql = ByteBufs.readCString(PgFrame.body(in, at, wire), session.charset);
        QueryEvent event = newEvent(sql, Optional.empty());
        if (!admitted(event, true)) {
            return;
        }
        Execution execution = new Execution(event, null);
        execution.copy = session.context.guard.copyInfo(sql);
        pending.add(new Batch(execution, false));
        session.upstreamOut.forward(in, at, wire);
    }

    private void onParse(ByteBuf in, int at, int wire) {
        Parse parse = Parse.decode(PgFrame.body(in, at, wire), session.charset);
        Optional<String> refusal = session.context.guard.refusal(parse.sql(), controls);
        if (refusal.isPresent()) {
            refuse(newEvent(parse.sql(), Optional.empty()), Decision.INSUFFICIENT_PRIVILEGE, refusal.get(), false);
            return;
        }
        long[] types = new long[parse.parameterTypes().length];
        for (int i = 0; i < types.length; i++) {
            types[i] = Integer.toUnsignedLong(parse.parameterTypes()[i]);
        }
        statements.put(parse.statement(), new Statement(parse.sql(), types));
        if (beginsTransaction(parse.sql())) {
            open.beginsTransaction = true;
        }
        forward(in, at, wire);
    }

    private void onBind(ByteBuf in, int at, int wire) {
        Bind bind = Bind.decode(PgFrame.body(in, at, wire), session.charset);
        portals.put(bind.portal(), new Portal(statements.get(bind.statement()), bind));
        forward(in, at, wire);
    }

    private void onExecute(ByteBuf in, int at, int wire) {
        Execute execute = Execute.decode(PgFrame.body(in, at, wire), session.charset);
        Portal portal = portals.get(execute.portal());
        String sql = portal != null && portal.statement != null ? portal.statement.sql : "";
        Optional<QueryParameters> parameters = Optional.empty();
        if (portal != null && portal.bind.values().length > 0) {
            // rendered (text, base64) by whoever reads them first, normally the store writer, not this event loop
            Bind bind = portal.bind;
            long[] types = portal.statement != null ? portal.statement.types : null;
            Charset charset = session.charset;
            parameters = Optional.of(QueryParameters.deferred(() -> PgValues.parameters(bind, types, charset)));
        }
        QueryEvent event = newEvent(sql, parameters);
        if (!admitted(event, false)) {
            return;
        }
        Execution execution = new Execution(event, portal);
        execution.copy = session.context.guard.copyInfo(sql);
        open.executions.add(execution);
        forward(in, at, wire);
    }

    /** Runs the policy and the interceptors; on refusal answers and returns false. */
    private boolean admitted(QueryEvent event, boolean simple) {
        if (simple) {
            Optional<String> refusal = session.context.guard.refusal(event.sql(), controls);
            if (refusal.isPresent()) {
                refuse(event, Decision.INSUFFICIENT_PRIVILEGE, refusal.get(), true);
                return false;
            }
        }
        LOG.debug("[{}] statement: {}", session.id, event.sql());
        Decision decision = session.context.interceptor.onQuery(session.info, event);
        switch (decision.kind()) {
            case PROCEED -> {
                session.stats.addQuery();
                return true;
            }
            case DENY -> {
                refuse(event, PgSession.sqlStateOr(decision.sqlState(), Decision.INSUFFICIENT_PRIVILEGE),
                        decision.message(), simple);
                return false;
            }
            default -> {
                report(event, QueryOutcome.refused(0, decision.sqlState(), decision.message()));
                session.fatal(PgSession.sqlStateOr(decision.sqlState(), "57P01"), decision.message(), null,
                        CloseReason.of(CloseReason.Kind.TERMINATED, decision.message()));
                return false;
            }
        }
    }

    private void refuse(QueryEvent event, String sqlState, String message, boolean simple) {
        LOG.debug("[{}] statement refused: {}", session.id, message);
        report(event, QueryOutcome.refused(System.nanoTime() - event.receivedNanos(), sqlState, message));
        if (!simple) {
            open.refusals.add(new String[] {sqlState, message});
            discarding = true;
            abortImplicitTransaction();
            return;
        }
        Batch batch = new Batch(null, true);
        batch.refusals.add(new String[] {sqlState, message});
        if (pending.isEmpty() && open.isEmpty()) {
            emit(batch);
        } else {
            pending.add(batch);
        }
    }

    /**
     * Outside a transaction block, PostgreSQL runs a Sync-delimited batch as one implicit transaction that an error
     * rolls back. When statements of the batch already went upstream, send a Parse that must fail so the upstream
     * rolls them back too; its error is replaced by the refusal. Inside a transaction block nothing is injected: the
     * refused statement never ran, and the block stays usable.
     */
    private void abortImplicitTransaction() {
        if (!open.forwardedAny || open.aborted || open.beginsTransaction || session.transactionStatus != 'I') {
            return;
        }
        open.aborted = true;
        session.upstreamOut.write(PgMessages.parse(session.upstream.alloc(), ABORT_MARKER));
    }

    private static boolean beginsTransaction(String sql) {
        String text = sql.stripLeading().toLowerCase(java.util.Locale.ROOT);
        return text.startsWith("begin") || text.startsWith("start");
    }

    private void onDescribe(ByteBuf in, int at, int wire) {
        DescribeTarget target = DescribeTarget.decode(PgFrame.body(in, at, wire), session.charset);
        Object described = target.isStatement() ? statements.get(target.name()) : portals.get(target.name());
        open.describes.add(described == null ? new Object() : described);
        forward(in, at, wire);
    }

    private void onClose(ByteBuf in, int at, int wire) {
        DescribeTarget target = DescribeTarget.decode(PgFrame.body(in, at, wire), session.charset);
        if (target.isStatement()) {
            statements.remove(target.name());
        } else {
            portals.remove(target.name());
        }
        forward(in, at, wire);
    }

    private void onSync(ByteBuf in, int at, int wire) {
        discarding = false;
        forward(in, at, wire);
        pending.add(open);
        open = new Batch(null, false);
    }

    private QueryEvent newEvent(String sql, Optional<QueryParameters> parameters) {
        return new QueryEvent(UuidV7.next(), sql, parameters, Instant.now(), System.nanoTime());
    }

    // ---- upstream → client -----------------------------------------------------------------------------------

    void fromUpstream(PgFrame frame) {
        responses.fromUpstream(frame);
    }

    void fromUpstream(PgFrameRun run) {
        responses.fromUpstream(run);
    }

    void emit(Batch synthetic) {
        writeRefusals(synthetic);
        session.clientOut.write(PgMessages.readyForQuery(session.client.alloc(), session.transactionStatus));
        session.clientOut.flush();
    }

    void writeRefusals(Batch batch) {
        for (String[] each : batch.refusals) {
            session.clientOut.write(PgMessages.errorResponse(session.client.alloc(), "ERROR", each[0], each[1],
                    null));
        }
    }

    void complete(Execution execution) {
        if (execution == null) {
            return;
        }
        if (cut != null) {
            execution.sqlState = cut[0];
            execution.error = cut[1];
        }
        report(execution.event, execution.outcome());
    }

    void report(QueryEvent event, QueryOutcome outcome) {
        session.context.interceptor.onQueryComplete(session.info, event, outcome);
    }

    // ---- quota cut and end ------------------------------------------------------------------------------------

    /** {@code onBytes} said no: cut the result in flight (DENY) or end the session (TERMINATE). */
    void bytesDenied(Decision decision) {
        if (session.state != PgSession.State.RELAY) {
            return;
        }
        if (decision.kind() == Decision.Kind.TERMINATE) {
            session.fatal(PgSession.sqlStateOr(decision.sqlState(), "57P01"), decision.message(), null,
                    CloseReason.of(CloseReason.Kind.TERMINATED, decision.message()));
            return;
        }
        if (idle() || cut != null) {
            return;
        }
        cut = new String[] {PgSession.sqlStateOr(decision.sqlState(), Decision.LIMIT_EXCEEDED), decision.message()};
        LOG.debug("[{}] result cut: {}", session.id, decision.message());
        session.clientOut.write(PgMessages.errorResponse(session.client.alloc(), "ERROR", cut[0], cut[1], null));
        session.clientOut.flush();
        session.cancelUpstream();
    }

    /** The session ended: statements still in flight are reported as failed. */
    void sessionEnded(CloseReason reason) {
        List<Batch> all = new ArrayList<>(pending);
        all.add(open);
        for (Batch batch : all) {
            List<Execution> executions = new ArrayList<>(batch.executions);
            if (batch.simple != null) {
                executions.add(batch.simple);
            }
            for (Execution each : executions) {
                if (each.error == null) {
                    each.error = "session ended: " + reason.detail();
                }
                report(each.event, each.outcome());
            }
        }
        pending.clear();
        open = new Batch(null, false);
    }
}
