package dev.dbbat.api.handler;

import dev.dbbat.api.ApiConfig;
import dev.dbbat.api.ApiException;
import dev.dbbat.api.dto.Requests;
import dev.dbbat.core.event.Protocol;
import dev.dbbat.store.Database;
import dev.dbbat.store.crypto.CredentialCipher;
import java.util.UUID;

/** Validation and encryption of database bodies (behaviour §4.6, with the [rec] corrections). */
final class DatabaseRules {
    private final CredentialCipher cipher;
    private final ApiConfig config;

    DatabaseRules(CredentialCipher cipher, ApiConfig config) {
        this.cipher = cipher;
        this.config = config;
    }

    /** A new row from a create body: uid generated here, passwords encrypted under it. */
    Database create(Requests.DatabaseBody body, UUID createdBy) {
        if (isBlank(body.name()) || isBlank(body.host()) || isBlank(body.username()) || isBlank(body.password())) {
            throw ApiException.validation("invalid request: name, host, username and password are required");
        }
        checkDemo(body.username(), body.password(), body.host(), body.databaseName());
        Protocol protocol = protocol(body.protocol() == null ? "postgresql" : body.protocol());
        int port = port(body.port(), protocol);
        String databaseName = body.databaseName() == null ? "" : body.databaseName();
        String serviceName = body.oracleServiceName();
        String sslMode = body.sslMode();
        if (protocol == Protocol.ORACLE) {
            if (isBlank(serviceName) && isBlank(databaseName)) {
                throw ApiException.validation("oracle_service_name or database_name is required for oracle");
            }
            serviceName = isBlank(serviceName) ? databaseName : serviceName;
            sslMode = sslMode == null ? "" : sslMode;
        } else {
            if (isBlank(databaseName)) {
                throw ApiException.validation("database_name is required");
            }
            sslMode = isBlank(sslMode) ? "prefer" : sslMode;
        }
        checkSelf(body.host(), port, databaseName);
        UUID uid = UUID.randomUUID();
        ReadOnly readOnly = readOnly(uid, body.readonlyUsername(), body.readonlyPassword(), null, null);
        return new Database(uid, body.name(), body.description(), body.host(), port, databaseName, body.username(),
                cipher.encrypt(body.password(), CredentialCipher.databaseAad(uid)), readOnly.username(),
                readOnly.password(), sslMode, protocol.id(), serviceName, createdBy, null, null);
    }

    /** {@code current} with the fields present in {@code body} applied. */
    Database update(Database current, Requests.DatabaseBody body) {
        if (body.name() != null && !body.name().equals(current.name())) {
            throw ApiException.validation("a database cannot be renamed");
        }
        String host = pick(body.host(), current.host());
        String databaseName = pick(body.databaseName(), current.databaseName());
        String username = pick(body.username(), current.username());
        if (config.demoMode()) {
            checkDemo(username, body.password() == null ? config.demoTarget().map(ApiConfig.DemoTarget::password)
                    .orElse("") : body.password(), host, databaseName);
        }
        Protocol protocol = protocol(pick(body.protocol(), current.protocol()));
        int port = body.port() == null ? current.port() : port(body.port(), protocol);
        if (isBlank(host) || isBlank(username)) {
            throw ApiException.validation("host and username cannot be empty");
        }
        checkSelf(host, port, databaseName);
        byte[] password = body.password() == null ? current.passwordEncrypted()
                : cipher.encrypt(requireNonEmpty(body.password(), "password"),
                        CredentialCipher.databaseAad(current.uid()));
        ReadOnly readOnly = readOnly(current.uid(), body.readonlyUsername(), body.readonlyPassword(),
                current.readonlyUsername(), current.readonlyPasswordEncrypted());
        return new Database(current.uid(), current.name(), pick(body.description(), current.description()), host, port,
                databaseName, username, password, readOnly.username(), readOnly.password(),
                pick(body.sslMode(), current.sslMode()), protocol.id(),
                pick(body.oracleServiceName(), current.oracleServiceName()), current.createdBy(), current.createdAt(),
                current.updatedAt());
    }

    private record ReadOnly(String username, byte[] password) {}

    /**
     * The read-only credential after a change: both fields set it, an empty {@code readonly_username} removes it, a
     * password alone rotates it, nothing keeps it.
     */
    private ReadOnly readOnly(UUID uid, String username, String password, String currentUser, byte[] currentPass) {
        if (username != null && username.isEmpty()) {
            return new ReadOnly(null, null);
        }
        String effectiveUser = username != null ? username : currentUser;
        if (password == null) {
            if (username != null && currentPass == null) {
                throw ApiException.validation("readonly_username and readonly_password go together");
            }
            return new ReadOnly(effectiveUser, currentPass);
        }
        if (effectiveUser == null) {
            throw ApiException.validation("readonly_username and readonly_password go together");
        }
        return new ReadOnly(effectiveUser, cipher.encrypt(requireNonEmpty(password, "readonly_password"),
                CredentialCipher.databaseReadOnlyAad(uid)));
    }

    private static Protocol protocol(String id) {
        return Protocol.fromId(id).filter(p -> p.id().equals(id))
                .orElseThrow(() -> ApiException.validation("protocol must be one of: postgresql, oracle, mysql, mariadb"));
    }

    private static int port(Integer port, Protocol protocol) {
        if (port == null || port == 0) {
            throw ApiException.validation("port is required (suggested default for " + protocol.id() + ": "
                    + protocol.defaultPort() + ")");
        }
        if (port < 1 || port > 65535) {
            throw ApiException.validation("port must be between 1 and 65535");
        }
        return port;
    }

    private void checkSelf(String host, int port, String databaseName) {
        if (config.storageDsn().map(dsn -> dsn.designates(host, port, databaseName)).orElse(false)) {
            throw new ApiException(400, "TARGET_MATCHES_SELF", "target database cannot match DBBat storage database");
        }
    }

    private void checkDemo(String username, String password, String host, String databaseName) {
        if (!config.demoMode() || config.demoTarget().isEmpty()) {
            return;
        }
        ApiConfig.DemoTarget demo = config.demoTarget().get();
        if (!demo.username().equals(username) || !demo.password().equals(password) || !demo.host().equals(host)
                || !demo.database().equals(databaseName)) {
            throw ApiException.forbidden("you can only use " + demo + " in demo mode");
        }
    }

    private static String requireNonEmpty(String value, String field) {
        if (value.isEmpty()) {
            throw ApiException.validation(field + " cannot be empty");
        }
        return value;
    }

    private static String pick(String value, String current) {
        return value != null ? value : current;
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
