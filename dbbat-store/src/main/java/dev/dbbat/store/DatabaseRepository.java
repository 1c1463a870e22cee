package dev.dbbat.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatement;

/** The {@code databases} table: live rows only. Thread-safe. */
public final class DatabaseRepository {
    static final String COLUMNS = "uid, name, description, host, port, database_name, username,"
            + " password_encrypted, readonly_username, readonly_password_encrypted, ssl_mode, protocol,"
            + " oracle_service_name, created_by, created_at, updated_at";
    private static final String INSERT = "INSERT INTO databases (uid, name, description, host, port, database_name,"
            + " username, password_encrypted, readonly_username, readonly_password_encrypted, ssl_mode, protocol,"
            + " oracle_service_name, created_by) VALUES (:uid, :name, :description, :host, :port, :database_name,"
            + " :username, :password_encrypted, :readonly_username, :readonly_password_encrypted, :ssl_mode,"
            + " :protocol, :oracle_service_name, :created_by) RETURNING " + COLUMNS;
    private static final String UPDATE = "UPDATE databases SET description = :description, host = :host,"
            + " port = :port, database_name = :database_name, username = :username,"
            + " password_encrypted = :password_encrypted, readonly_username = :readonly_username,"
            + " readonly_password_encrypted = :readonly_password_encrypted, ssl_mode = :ssl_mode,"
            + " protocol = :protocol, oracle_service_name = :oracle_service_name, updated_at = now()"
            + " WHERE uid = :uid AND deleted_at IS NULL";
    private static final String BY_ID = "SELECT " + COLUMNS + " FROM databases WHERE uid = :uid AND deleted_at IS NULL";
    private static final String BY_NAME =
            "SELECT " + COLUMNS + " FROM databases WHERE name = :name AND deleted_at IS NULL";
    private static final String BY_SERVICE_NAME = "SELECT " + COLUMNS + " FROM databases WHERE oracle_service_name"
            + " = :name AND protocol = 'oracle' AND deleted_at IS NULL ORDER BY created_at LIMIT 1";
    private static final String LIST = "SELECT " + COLUMNS + " FROM databases WHERE deleted_at IS NULL ORDER BY name";
    private static final String LIST_GRANTED = "SELECT " + COLUMNS + " FROM databases d WHERE d.deleted_at IS NULL"
            + " AND EXISTS (SELECT 1 FROM access_grants g WHERE g.database_id = d.uid AND g.user_id = :user_id"
            + " AND " + GrantRepository.ACTIVE + ") ORDER BY name";
    private static final String SOFT_DELETE =
            "UPDATE databases SET deleted_at = now(), updated_at = now() WHERE uid = :uid AND deleted_at IS NULL";

    private final Jdbi jdbi;

    public DatabaseRepository(Jdbi jdbi) {
        this.jdbi = Objects.requireNonNull(jdbi, "jdbi");
    }

    /**
     * Inserts a database whose uid the caller generated (so the password was encrypted with its AAD beforehand). A
     * live database of the same name fails with a unique violation (SQLState 23505).
     */
    public Database insert(Database database) {
        try {
            return jdbi.withHandle(handle -> bindAll(handle.createQuery(INSERT), database)
                    .bind("name", database.name())
                    .bind("created_by", database.createdBy())
                    .map((rs, ctx) -> map(rs))
                    .one());
        } finally {
            LoginDataChanges.changed(jdbi);
        }
    }

    /** Rewrites every mutable column of a live database (name and creator are immutable). */
    public boolean update(Database database) {
        try {
            return jdbi.withHandle(handle -> bindAll(handle.createUpdate(UPDATE), database).execute()) > 0;
        } finally {
            LoginDataChanges.changed(jdbi);
        }
    }

    private static <T extends SqlStatement<T>> T bindAll(T statement, Database database) {
        return statement
                .bind("uid", database.uid())
                .bind("description", database.description())
                .bind("host", database.host())
                .bind("port", database.port())
                .bind("database_name", database.databaseName())
                .bind("username", database.username())
                .bind("password_encrypted", database.passwordEncrypted())
                .bind("readonly_username", database.readonlyUsername())
                .bind("readonly_password_encrypted", database.readonlyPasswordEncrypted())
                .bind("ssl_mode", database.sslMode())
                .bind("protocol", database.protocol())
                .bind("oracle_service_name", database.oracleServiceName());
    }

    public Optional<Database> findById(UUID uid) {
        return jdbi.withHandle(handle ->
                handle.createQuery(BY_ID).bind("uid", uid).map((rs, ctx) -> map(rs)).findOne());
    }

    public Optional<Database> findByName(String name) {
        return jdbi.withHandle(handle ->
                handle.createQuery(BY_NAME).bind("name", name).map((rs, ctx) -> map(rs)).findOne());
    }

    /** The live Oracle database whose service name is {@code serviceName} (the oldest one if several). */
    public Optional<Database> findByOracleServiceName(String serviceName) {
        return jdbi.withHandle(handle -> handle.createQuery(BY_SERVICE_NAME)
                .bind("name", serviceName)
                .map((rs, ctx) -> map(rs))
                .findOne());
    }

    /** Every live database, by name. */
    public List<Database> list() {
        return jdbi.withHandle(handle -> handle.createQuery(LIST).map((rs, ctx) -> map(rs)).list());
    }

    /** Live databases on which {@code userId} holds an active grant now, by name. */
    public List<Database> listGrantedTo(UUID userId) {
        return jdbi.withHandle(handle -> handle.createQuery(LIST_GRANTED)
                .bind("user_id", userId)
                .map((rs, ctx) -> map(rs))
                .list());
    }

    /** @return whether a live database was deleted */
    public boolean softDelete(UUID uid) {
        try {
            return jdbi.withHandle(handle -> handle.createUpdate(SOFT_DELETE).bind("uid", uid).execute()) > 0;
        } finally {
            LoginDataChanges.changed(jdbi);
        }
    }

    static Database map(ResultSet rs) throws SQLException {
        return new Database(
                rs.getObject("uid", UUID.class),
                rs.getString("name"),
                rs.getString("description"),
                rs.getString("host"),
                rs.getInt("port"),
                rs.getString("database_name"),
                rs.getString("username"),
                rs.getBytes("password_encrypted"),
                rs.getString("readonly_username"),
                rs.getBytes("readonly_password_encrypted"),
                rs.getString("ssl_mode"),
                rs.getString("protocol"),
                rs.getString("oracle_service_name"),
                rs.getObject("created_by", UUID.class),
                UserRepository.instant(rs, "created_at"),
                UserRepository.instant(rs, "updated_at"));
    }
}
