package dev.dbbat.api.dto;

import java.time.Instant;
import java.util.List;

/** Request bodies of the REST API (snake_case JSON). Fields absent from the JSON are null. */
public final class Requests {
    private Requests() {}

    /** {@code POST /auth/login}. */
    public record Login(String username, String password) {
        @Override
        public String toString() {
            return "Login[" + username + "]";
        }
    }

    /** {@code PUT /auth/password} and {@code PUT /users/{uid}/password}. */
    public record ChangePassword(String username, String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return "ChangePassword[" + username + "]";
        }
    }

    /** {@code POST /users/{uid}/reset-password}. */
    public record ResetPassword(String newPassword) {
        @Override
        public String toString() {
            return "ResetPassword[]";
        }
    }

    /** {@code POST /users}. */
    public record CreateUser(String username, String password, List<String> roles) {
        @Override
        public String toString() {
            return "CreateUser[" + username + " " + roles + "]";
        }
    }

    /** {@code PUT /users/{uid}}. */
    public record UpdateUser(String password, List<String> roles) {
        @Override
        public String toString() {
            return "UpdateUser[" + roles + "]";
        }
    }

    /** {@code POST /databases} and {@code PUT /databases/{uid}} (all fields optional on update). */
    public record DatabaseBody(
            String name,
            String description,
            String host,
            Integer port,
            String databaseName,
            String username,
            String password,
            String readonlyUsername,
            String readonlyPassword,
            String sslMode,
            String protocol,
            String oracleServiceName) {
        @Override
        public String toString() {
            return "DatabaseBody[" + name + " " + protocol + "://" + host + ":" + port + "/" + databaseName + "]";
        }
    }

    /** {@code POST /grants}. */
    public record CreateGrant(
            String userId,
            String databaseId,
            Instant startsAt,
            Instant expiresAt,
            List<String> controls,
            Long maxQueryCounts,
            Long maxBytesTransferred) {}

    /** {@code POST /keys}. */
    public record CreateKey(String name, Instant expiresAt) {}

    /** {@code POST /auth/oauth/exchange}. */
    public record OAuthExchange(String code) {
        @Override
        public String toString() {
            return "OAuthExchange[]";
        }
    }
}
