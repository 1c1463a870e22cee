package dev.dbbat.api.oauth;

import dev.dbbat.api.SlackAuth;
import dev.dbbat.store.User;
import dev.dbbat.store.UserIdentity;
import dev.dbbat.store.UserIdentityRepository;
import dev.dbbat.store.UserRepository;
import dev.dbbat.store.auth.AuditSink;
import dev.dbbat.store.auth.Credentials;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.JdbiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the local user behind a Slack profile, in this order: an identity already linked to ({@code slack},
 * {@code sub}); a user whose username equals the (verified) email, which gets linked; a new user when auto-creation is
 * on; otherwise nobody. Thread-safe.
 */
public final class OAuthUserResolver {
    public static final String PROVIDER = "slack";
    static final int MAX_USERNAME_LENGTH = 30;
    private static final int MAX_ATTEMPTS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(OAuthUserResolver.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SlackAuth config;
    private final Credentials credentials;
    private final UserRepository users;
    private final UserIdentityRepository identities;
    private final AuditSink audit;

    public OAuthUserResolver(SlackAuth config, Credentials credentials, UserRepository users,
            UserIdentityRepository identities, AuditSink audit) {
        this.config = Objects.requireNonNull(config, "config");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.users = Objects.requireNonNull(users, "users");
        this.identities = Objects.requireNonNull(identities, "identities");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** The local user for {@code profile}; empty when none is linked and none may be created. */
    public Optional<User> resolve(SlackProfile profile) {
        Optional<UserIdentity> identity = identities.find(PROVIDER, profile.subject());
        if (identity.isPresent()) {
            // a linked user that was deleted stays deleted: no silent re-provisioning
            return users.findById(identity.get().userId());
        }
        Optional<User> byEmail = profile.verifiedEmail().flatMap(users::findByUsername);
        if (byEmail.isPresent()) {
            return Optional.of(link(byEmail.get(), profile));
        }
        if (!config.autoCreateUsers()) {
            return Optional.empty();
        }
        return Optional.of(link(create(profile), profile));
    }

    private User link(User user, SlackProfile profile) {
        try {
            identities.link(user.uid(), PROVIDER, profile.subject(), profile.email(), profile.name(),
                    profile.rawJson());
        } catch (JdbiException ex) {
            if (!isUniqueViolation(ex)) {
                throw ex;
            }
            LOG.debug("identity {} linked concurrently", profile.subject());
            UserIdentity winner = identities.find(PROVIDER, profile.subject()).orElseThrow(() -> ex);
            return users.findById(winner.userId()).orElseThrow(() -> ex);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("provider", PROVIDER);
        details.put("provider_id", profile.subject());
        audit.record("user.identity_linked", user.uid(), user.uid(), details);
        return user;
    }

    private User create(SlackProfile profile) {
        String base = usernameFrom(profile.name().orElse(""));
        String candidate = users.findByUsername(base).isPresent() ? withSuffix(base) : base;
        for (int attempt = 1; ; attempt++) {
            char[] password = HexFormat.of().formatHex(randomBytes(32)).toCharArray();
            try {
                User user = credentials.createUser(candidate, password, List.of(config.defaultRole()), true);
                Map<String, Object> details = new LinkedHashMap<>();
                details.put("username", user.username());
                details.put("roles", user.roles());
                details.put("provider", PROVIDER);
                audit.record("user.created", user.uid(), user.uid(), details);
                return user;
            } catch (JdbiException ex) {
                if (!isUniqueViolation(ex) || attempt >= MAX_ATTEMPTS) {
                    throw ex;
                }
                candidate = withSuffix(base);
            } finally {
                Arrays.fill(password, '\0');
            }
        }
    }

    /**
     * A username from a display name: lower case, each whitespace run becomes {@code .}, only {@code [a-z0-9._-]}
     * kept, at most 30 characters, without leading or trailing dots; {@code user} when nothing is left.
     */
    static String usernameFrom(String displayName) {
        String lowered = displayName.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", ".");
        String kept = lowered.replaceAll("[^a-z0-9._-]", "");
        if (kept.length() > MAX_USERNAME_LENGTH) {
            kept = kept.substring(0, MAX_USERNAME_LENGTH);
        }
        kept = kept.replaceAll("^\\.+|\\.+$", "");
        return kept.isEmpty() ? "user" : kept;
    }

    private static String withSuffix(String base) {
        return base + "." + HexFormat.of().formatHex(randomBytes(4));
    }

    private static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static boolean isUniqueViolation(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
