package dev.dbbat.store;

import java.util.Objects;
import java.util.Optional;

/**
 * What a proxy login needs to reach a database, read in one round trip: the live database and the user's most
 * recently created grant active on it (with the usage of its quotas), if any.
 */
public record DatabaseAccess(Database database, Optional<Grant> activeGrant) {
    public DatabaseAccess {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(activeGrant, "activeGrant");
    }
}
