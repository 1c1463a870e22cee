package dev.dbbat.store.testing;

import java.util.UUID;
import org.jdbi.v3.core.Jdbi;

/**
 * Plain-SQL fixture rows for the FKs of connections, queries and audit_log: users, databases and grants, without
 * going through their repositories.
 */
public final class Seed {
    private Seed() {}

    public static UUID user(Jdbi jdbi, String username) {
        return jdbi.withHandle(handle -> handle.createQuery("INSERT INTO users (username, password_hash, scram_salt,"
                        + " scram_iterations, scram_stored_key, scram_server_key) VALUES (:username, 'x',"
                        + " '\\x00'::bytea, 4096, '\\x00'::bytea, '\\x00'::bytea) RETURNING uid")
                .bind("username", username)
                .mapTo(UUID.class)
                .one());
    }

    public static UUID database(Jdbi jdbi, String name) {
        return jdbi.withHandle(handle -> handle.createQuery("INSERT INTO databases (name, host, port, username,"
                        + " password_encrypted) VALUES (:name, 'localhost', 5432, 'u', '\\x00'::bytea) RETURNING uid")
                .bind("name", name)
                .mapTo(UUID.class)
                .one());
    }

    public static UUID grant(Jdbi jdbi, UUID user, UUID database) {
        return jdbi.withHandle(handle -> handle.createQuery("INSERT INTO access_grants (user_id, database_id,"
                        + " granted_by, starts_at, expires_at) VALUES (:user_id, :database_id, :user_id,"
                        + " now() - interval '1 day', now() + interval '1 day') RETURNING uid")
                .bind("user_id", user)
                .bind("database_id", database)
                .mapTo(UUID.class)
                .one());
    }
}
