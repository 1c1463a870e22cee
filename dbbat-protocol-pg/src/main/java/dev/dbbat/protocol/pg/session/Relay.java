package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.UuidV7;
import dev.dbbat.core.event.CloseReason;
import dev.dbbat.core.event.Control;
import dev.dbbat.core.event.CopyInfo;
import dev.dbbat.core.event.GrantInfo;
import dev.dbbat.core.event.QueryEvent;
import dev.dbbat.core.event.QueryOutcome;
import dev.dbbat.core.event.QueryParameters;
import dev.dbbat.core.spi.Decision;
import dev.dbbat.protocol.pg.internal.ByteBufs;
import dev.dbbat.protocol.pg.message.BackendMessages;
import dev.dbbat.protocol.pg.message.Bind;
import dev.dbbat.protocol.pg.message.DescribeTarget;
import dev.dbbat.protocol.pg.message.ErrorFields;
import dev.dbbat.protocol.pg.message.Execute;
import dev.dbbat.protocol.pg.message.Parse;
import dev.dbbat.protocol.pg.message.PgFrame;
import dev.dbbat.protocol.pg.message.PgMessages;
import dev.dbbat.protocol.pg.message.RowDescription;
import io.netty.buffer.ByteBuf;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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
 * the real transaction status. A refused statement never reaches the upstream, so an open transaction is not aborted.
 *
 * <p>Single-threaded: the session's event loop.
 */
final class Relay {
    private static final Logger LOG = LoggerFactory.getLogger(Relay.class);

    /** A prepared statement as the client defined it. */
    static final class Statement {
        final String sql;
        long[] types;
        List<RowDescription.Column> columns;

        Statement(String sql, long[] types) {
            this.sql = sql;
            this.types = types;
        }
    }

    /** A bound portal. */
    static final class Portal {
        final Statement statement;
        final Bind bind;
        List<RowDescription.Column> columns;

        Portal(Statement statement, Bind bind) {
            this.statement = statement;
            this.bind = bind;
        }

        /** Columns from a Describe of the portal, else the statement's with the Bind's result formats. */
        List<RowDescription.Column> resultColumns() {
            if (columns != null) {
                return columns;
            }
            if (statement == null || statement.columns == null) {
                return null;
            }
            List<RowDescription.Column> result = new ArrayList<>();
            for (int i = 0; i < statement.columns.size(); i++) {
                RowDescription.Column each = statement.columns.get(i);
                result.add(new RowDescription.Column(each.name(), each.typeOid(), bind.resultFormat(i)));
            }
            return result;
        }
    }

    /** Messages up to one ReadyForQuery. */
    static final class Batch {
        final Execution simple;
        final boolean synthetic;
        final ArrayDeque<Execution> executions = new ArrayDeque<>();
        final ArrayDeque<Object> describes = new ArrayDeque<>();
        final List<String[]> refusals = new ArrayList<>();
        boolean forwardedAny;

        Batch(Execution simple, boolean synthetic) {
            this.simple = simple;
            this.synthetic = synthetic;
        }

        boolean isEmpty() {
            return !forwardedAny && refusals.isEmpty();
        }
    }

    private final PgSession session;
    private final GrantInfo grant;
    private final Set<Control> controls;
    private final Map<String, Statement> statements = new HashMap<>();
    private final Map<String, Portal> portals = new HashMap<>();
    private final ArrayDeque<Batch> pending = new ArrayDeque<>();
    private Batch open = new Batch(null, false);
    private boolean discarding;
    private String[] cut;
    private final ResultCapture capture;

    Relay(PgSession session, GrantInfo grant) {
        this.session = session;
        this.grant = grant;
        this.controls = grant.controls();
        this.capture = new ResultCapture(session);
    }

    boolean idle() {
        return pending.isEmpty() && open.isEmpty();
    }

    // ---- client → upstream -----------------------------------------------------------------------------------------

    void fromClient(PgFrame frame) {
        byte type = frame.type();
        if (type == 'X') {
            frame.release();
            session.end(CloseReason.of(CloseReason.Kind.CLIENT_CLOSED, "client terminated"), null);
            return;
        }
        if (discarding && type != 'S') {
            frame.release();
            return;
        }
        try {
            switch (type) {
                case 'Q' -> onQuery(frame);
                case 'P' -> onParse(frame);
                case 'B' -> onBind(frame);
                case 'E' -> onExecute(frame);
                case 'D' -> onDescribe(frame);
                case 'C' -> onClose(frame);
                case 'S' -> onSync(frame);
                case 'F' -> onFunctionCall(frame);
                default -> forward(frame);
            }
        } catch (RuntimeException ex) {
            frame.release();
            throw ex;
        }
    }

    /** FunctionCall (fastpath) can run any function, so a read-only grant refuses it outright. */
    private void onFunctionCall(PgFrame frame) {
        if (controls.contains(Control.READ_ONLY)) {
            frame.release();
            refuse(newEvent("<function call>", Optional.empty()), Decision.INSUFFICIENT_PRIVILEGE,
                    "function calls are not permitted with read-only access", true);
            return;
        }
        pending.add(new Batch(null, false));
        session.upstream.write(frame.content());
    }

    private void forward(PgFrame frame) {
        open.forwardedAny = true;
        session.upstream.write(frame.content());
    }

    private void onQuery(PgFrame frame) {
        String sql = ByteBufs.readCString(frame.body(), session.charset);
        QueryEvent event = newEvent(sql, Optional.empty());
        if (!admitted(event, frame, true)) {
            return;
        }
        Execution execution = new Execution(event, null);
        execution.copy = session.context.guard.copyInfo(sql);
        pending.add(new Batch(execution, false));
        session.upstream.write(frame.content());
    }

    private void onParse(PgFrame frame) {
        Parse parse = Parse.decode(frame.body(), session.charset);
        Optional<String> refusal = session.context.guard.refusal(parse.sql(), controls);
        if (refusal.isPresent()) {
            frame.release();
            refuse(newEvent(parse.sql(), Optional.empty()), Decision.INSUFFICIENT_PRIVILEGE, refusal.get(), false);
            return;
        }
        long[] types = new long[parse.parameterTypes().length];
        for (int i = 0; i < types.length; i++) {
            types[i] = Integer.toUnsignedLong(parse.parameterTypes()[i]);
        }
        statements.put(parse.statement(), new Statement(parse.sql(), types));
        forward(frame);
    }

    private void onBind(PgFrame frame) {
        Bind bind = Bind.decode(frame.body(), session.charset);
        portals.put(bind.portal(), new Portal(statements.get(bind.statement()), bind));
        forward(frame);
    }

    private void onExecute(PgFrame frame) {
        Execute execute = Execute.decode(frame.body(), session.charset);
        Portal portal = portals.get(execute.portal());
        String sql = portal != null && portal.statement != null ? portal.statement.sql : "";
        Optional<QueryParameters> parameters = Optional.empty();
        if (portal != null && portal.bind.values().length > 0) {
            long[] types = portal.statement != null ? portal.statement.types : null;
            parameters = Optional.of(PgValues.parameters(portal.bind, types, session.charset));
        }
        QueryEvent event = newEvent(sql, parameters);
        if (!admitted(event, frame, false)) {
            return;
        }
        Execution execution = new Execution(event, portal);
        execution.copy = session.context.guard.copyInfo(sql);
        open.executions.add(execution);
        forward(frame);
    }

    /** Runs the policy and the interceptors; on refusal releases the frame, answers, and returns false. */
    private boolean admitted(QueryEvent event, PgFrame frame, boolean simple) {
        if (simple) {
            Optional<String> refusal = session.context.guard.refusal(event.sql(), controls);
            if (refusal.isPresent()) {
                frame.release();
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
                frame.release();
                refuse(event, PgSession.sqlStateOr(decision.sqlState(), Decision.INSUFFICIENT_PRIVILEGE),
                        decision.message(), simple);
                return false;
            }
            default -> {
                frame.release();
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

    private void onDescribe(PgFrame frame) {
        DescribeTarget target = DescribeTarget.decode(frame.body(), session.charset);
        Object described = target.isStatement() ? statements.get(target.name()) : portals.get(target.name());
        open.describes.add(described == null ? new Object() : described);
        forward(frame);
    }

    private void onClose(PgFrame frame) {
        DescribeTarget target = DescribeTarget.decode(frame.body(), session.charset);
        if (target.isStatement()) {
            statements.remove(target.name());
        } else {
            portals.remove(target.name());
        }
        forward(frame);
    }

    private void onSync(PgFrame frame) {
        discarding = false;
        forward(frame);
        pending.add(open);
        open = new Batch(null, false);
    }

    private QueryEvent newEvent(String sql, Optional<QueryParameters> parameters) {
        return new QueryEvent(UuidV7.next(), sql, parameters, Instant.now(), System.nanoTime());
    }

    // ---- upstream → client -----------------------------------------------------------------------------------------

    void fromUpstream(PgFrame frame) {
        Batch batch = upstreamBatch();
        boolean forward;
        try {
            forward = track(frame, batch);
        } catch (RuntimeException ex) {
            frame.release();
            throw ex;
        }
        if (session.state != PgSession.State.RELAY) {
            frame.release();
            return;
        }
        if (frame.type() == 'Z') {
            onReady(frame);
            return;
        }
        if (forward && cut == null) {
            session.client.write(frame.content());
        } else {
            frame.release();
        }
    }

    /** Updates statement state from an upstream frame; false when the frame must not reach the client. */
    private boolean track(PgFrame frame, Batch batch) {
        ByteBuf body = frame.body();
        Execution current = batch.simple != null ? batch.simple : batch.executions.peek();
        switch (frame.type()) {
            case 'T' -> onRowDescription(batch, RowDescription.decode(body, session.charset).columns());
            case 'n' -> {
                if (batch.simple == null) {
                    batch.describes.poll();
                }
            }
            case 't' -> {
                if (batch.describes.peek() instanceof Statement statement) {
                    statement.types = BackendMessages.parameterTypes(body);
                }
            }
            case 'D' -> {
                if (current != null) {
                    current.bytes += frame.wireLength();
                    if (cut == null) {
                        capture.dataRow(current, body);
                    }
                }
            }
            case 'd' -> {
                if (current != null) {
                    current.bytes += frame.wireLength();
                    if (cut == null) {
                        capture.copyData(current, body);
                    }
                }
            }
            case 'G', 'H' -> {
                if (current != null) {
                    capture.copyStarted(current, frame.type() == 'G', BackendMessages.copyFormat(body));
                }
            }
            case 'C' -> onCommandComplete(batch, BackendMessages.commandTag(body, session.charset));
            case 'I', 's' -> {
                if (batch.simple == null) {
                    complete(batch.executions.poll());
                }
            }
            case 'E' -> onError(batch, ErrorFields.decode(body, session.charset));
            case 'S' -> {
                return onParameterStatus(BackendMessages.parameterStatus(body, session.charset));
            }
            default -> {
                return true;
            }
        }
        return true;
    }

    private Batch upstreamBatch() {
        for (Batch each : pending) {
            if (!each.synthetic) {
                return each;
            }
        }
        return open;
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
            complete(execution);
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
            complete(execution);
        }
    }

    private boolean onParameterStatus(Map.Entry<String, String> status) {
        String name = status.getKey();
        String value = status.getValue();
        if (name.equals("client_encoding")) {
            session.charset = Encodings.charset(value);
        }
        if (grant.readOnly() && name.equals("default_transaction_read_only") && !value.equals("on")) {
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
                complete(batch.simple);
            }
            for (Execution each; (each = batch.executions.poll()) != null; ) {
                each.error = "not executed: an earlier message of the batch failed";
                complete(each);
            }
            writeRefusals(batch);
        }
        cut = null;
        session.client.write(frame.content());
        while (!pending.isEmpty() && pending.peek().synthetic) {
            emit(pending.poll());
        }
    }

    private Batch pollUpstreamBatch() {
        for (Iterator<Batch> it = pending.iterator(); it.hasNext(); ) {
            Batch each = it.next();
            if (!each.synthetic) {
                it.remove();
                return each;
            }
        }
        Batch result = open;
        open = new Batch(null, false);
        return result.isEmpty() && result.executions.isEmpty() ? null : result;
    }

    private void emit(Batch synthetic) {
        writeRefusals(synthetic);
        session.client.writeAndFlush(PgMessages.readyForQuery(session.client.alloc(), session.transactionStatus));
    }

    private void writeRefusals(Batch batch) {
        for (String[] each : batch.refusals) {
            session.client.write(PgMessages.errorResponse(session.client.alloc(), "ERROR", each[0], each[1], null));
        }
    }

    private void complete(Execution execution) {
        if (execution == null) {
            return;
        }
        if (cut != null) {
            execution.sqlState = cut[0];
            execution.error = cut[1];
        }
        report(execution.event, execution.outcome());
    }

    private void report(QueryEvent event, QueryOutcome outcome) {
        session.context.interceptor.onQueryComplete(session.info, event, outcome);
    }

    // ---- quota cut and end ---------------------------------------------------------------------------------------------

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
        session.client.writeAndFlush(PgMessages.errorResponse(session.client.alloc(), "ERROR", cut[0], cut[1],
                null));
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
