package dev.dbbat.server.policy;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Reads the current state of grants; called from the policy's own scheduler thread, so it may block. */
@FunctionalInterface
public interface GrantStatusSource {

    /** The state of each grant in {@code grantIds} that still exists; a missing grant counts as revoked. */
    Map<UUID, GrantStatus> statuses(Set<UUID> grantIds);
}
