package dev.dbbat.protocol.pg.session;

/** Chooses the SQL policy implementation. */
final class StatementGuards {
    private StatementGuards() {}

    static StatementGuard standard() {
        return new InterimStatementGuard();
    }
}
