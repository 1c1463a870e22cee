/**
 * PostgreSQL SQL lexing and statement classification for grant controls.
 *
 * <p>The entry point is {@link dev.dbbat.protocol.pg.sql.PgStatementPolicy}: it lexes the SQL of a Query or Parse
 * message like the server does ({@code PgLexer}: comments dropped, quotes, {@code E''}, {@code U&''}, bit strings and
 * dollar quotes respected), splits it into statements on {@code ;}, classifies each statement from its tokens
 * ({@code PgStatementClassifier}) and maps the findings to a {@link dev.dbbat.protocol.pg.sql.SqlVerdict} according
 * to the grant's controls. Everything here is stateless and thread-safe.
 *
 * <p>What the classifier cannot see, and the session layer must handle: Function Call ('F') messages (fastpath, used
 * by pgjdbc's large-object API), startup-packet options such as {@code -c default_transaction_read_only=off}, and the
 * byte decoding of the SQL (it must use the session's {@code client_encoding}).
 */
package dev.dbbat.protocol.pg.sql;
