package dev.dbbat.protocol.pg.session;

import dev.dbbat.core.event.Control;
import dev.dbbat.core.event.CopyInfo;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The SQL policy the relay applies to every Query and Parse. Implementations are stateless and thread-safe. */
interface StatementGuard {

    /** Empty when {@code sql} is allowed under {@code controls}, else the refusal message. */
    Optional<String> refusal(String sql, Set<Control> controls);

    /** COPY direction and format of {@code sql}, when it is a COPY. */
    Optional<CopyInfo> copyInfo(String sql);

    /** The column list of a COPY statement, empty when it has none. */
    List<String> copyColumns(String sql);
}
