package dev.dbbat.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementException;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DBBat's store: a HikariCP pool on PostgreSQL, the Flyway schema, and the Jdbi instance the repositories use.
 * Thread-safe. Owns its pool: {@link #close()} closes it.
 */
public final class Store implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    private static final String MIGRATIONS = "classpath:db/migration";

    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Store(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource).installPlugin(new PostgresPlugin());
        // exception messages carry the SQL (our constants) but never bound values: they may hold row data or secrets
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(Store::renderStatementOnly);
    }

    /**
     * Opens a pool on {@code dsn}. Fails fast (within {@code connectTimeoutMillis}) when the database cannot be
     * reached.
     *
     * @param dsn the store's DSN
     * @param maximumPoolSize pool size (writer threads + expected API concurrency)
     * @param connectTimeoutMillis how long to wait for the first connection
     * @throws StoreException when the database is unreachable or refuses the credentials
     */
    public static Store open(PostgresDsn dsn, int maximumPoolSize, long connectTimeoutMillis) {
        Objects.requireNonNull(dsn, "dsn");
        HikariConfig config = new HikariConfig();
        config.setPoolName("dbbat-store");
        config.setJdbcUrl(dsn.jdbcUrl());
        config.setUsername(dsn.user());
        config.setPassword(dsn.password());
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(Math.min(2, maximumPoolSize));
        config.setConnectionTimeout(Math.max(250, connectTimeoutMillis));
        config.setInitializationFailTimeout(Math.max(1, connectTimeoutMillis));
        config.addDataSourceProperty("ApplicationName", "dbbat-store");
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        // keep server error details ("Failing row contains ...") and batch parameters out of exception messages
        config.addDataSourceProperty("logServerErrorDetail", "false");
        try {
            return new Store(new HikariDataSource(config));
        } catch (RuntimeException ex) {
            throw new StoreException("cannot connect to the store at " + dsn + ": " + rootMessage(ex), ex);
        }
    }

    private static String renderStatementOnly(StatementException ex) {
        String statement = ex.getStatementContext() == null ? null : ex.getStatementContext().getRawSql();
        String message = ex.getCause() == null ? "" : String.valueOf(ex.getCause().getMessage());
        return statement == null ? message : message + " [statement:\"" + statement + "\"]";
    }

    /** Applies pending migrations and returns how many were applied. */
    public int migrate() {
        MigrateResult result = flyway().migrate();
        if (result.migrationsExecuted > 0) {
            LOG.info("store schema migrated to version {} ({} migrations applied)", result.targetSchemaVersion,
                    result.migrationsExecuted);
        }
        return result.migrationsExecuted;
    }

    /** One line per known migration: version, description, state. */
    public java.util.List<String> migrationStatus() {
        java.util.List<String> result = new java.util.ArrayList<>();
        for (MigrationInfo each : flyway().info().all()) {
            result.add(String.format("%-6s %-40s %s", each.getVersion(), each.getDescription(), each.getState()));
        }
        return result;
    }

    /**
     * Drops every DBBat table and type (test and demo modes start from a fresh schema), then nothing else: call
     * {@link #migrate()} afterwards.
     */
    public void dropEverything() {
        jdbi.useHandle(handle -> handle.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;"));
        LOG.info("store schema dropped");
    }

    private Flyway flyway() {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .cleanDisabled(true)
                .load();
    }

    /** Whether the store answers a trivial query within a second. */
    public boolean ping() {
        try (Connection connection = dataSource.getConnection()) {
            return connection.isValid(1);
        } catch (SQLException | RuntimeException ex) {
            LOG.debug("store ping failed: {}", ex.getMessage());
            return false;
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static String rootMessage(Throwable ex) {
        Throwable cause = ex;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
