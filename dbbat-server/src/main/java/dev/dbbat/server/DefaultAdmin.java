package dev.dbbat.server;

import dev.dbbat.store.UserRepository;
import dev.dbbat.store.auth.Credentials;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * behaviour.md §2.4: when the store has no live user, create {@code admin}/{@code admin} with roles admin and
 * connector, its password not yet changed (so the web login asks for a new one first).
 */
final class DefaultAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultAdmin.class);

    private DefaultAdmin() {}

    /** @return whether the admin was created */
    static boolean ensure(UserRepository users, Credentials credentials) {
        if (users.countLive() > 0) {
            return false;
        }
        credentials.createUser("admin", "admin".toCharArray(), List.of("admin", "connector"), false);
        LOG.warn("created the default user admin/admin: change its password now (the web UI requires it)");
        return true;
    }
}
