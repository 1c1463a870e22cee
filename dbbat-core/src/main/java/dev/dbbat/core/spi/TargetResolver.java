package dev.dbbat.core.spi;

import dev.dbbat.core.event.Identity;
import dev.dbbat.core.event.Protocol;
import dev.dbbat.core.event.Resolution;
import java.util.concurrent.CompletionStage;

/**
 * Maps an authenticated user and the database name it asked for to the upstream to connect to, the decrypted
 * credentials to log in with, and the grant in force.
 *
 * <p>Threading: called from an event loop; must return at once and complete later (store look-ups and decryption
 * run on the implementation's executor). Thread-safe.
 *
 * <p>Refusals (unknown database, a database of another protocol, no active grant, quota exhausted) complete with
 * {@link Resolution.Refused}; only the authenticated client sees their reason.
 */
public interface TargetResolver {

    /**
     * @param identity the authenticated user
     * @param databaseName the DBBat database name ({@code databases.name}) the client asked for
     * @param listener the protocol of the listener the client came through; targets of other protocols are refused
     */
    CompletionStage<Resolution> resolve(Identity identity, String databaseName, Protocol listener);
}
