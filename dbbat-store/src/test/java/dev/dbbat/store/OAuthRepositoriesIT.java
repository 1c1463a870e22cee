package dev.dbbat.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dbbat.store.testing.StoreFixture;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code oauth_states} and {@code user_identities} against a real store. */
class OAuthRepositoriesIT {
    @RegisterExtension
    static final StoreFixture STORE = new StoreFixture();

    private final OAuthStateRepository states = new OAuthStateRepository(STORE.store().jdbi());
    private final UserIdentityRepository identities = new UserIdentityRepository(STORE.store().jdbi());
    private final UserRepository users = new UserRepository(STORE.store().jdbi());

    @Test
    void consumesAStateExactlyOnce() {
        Instant now = Instant.now();
        OAuthState stored = states.insert("state-once", "slack", Optional.of("http://h/cb"), Map.of("k", "v"),
                now.plus(10, ChronoUnit.MINUTES));
        assertThat(stored.redirectUrl()).contains("http://h/cb");
        assertThat(stored.toString()).doesNotContain("state-once");

        Optional<OAuthState> consumed = states.consume("state-once", "slack", now);
        assertThat(consumed).isPresent();
        assertThat(consumed.get().metadata()).containsEntry("k", "v");
        assertThat(states.consume("state-once", "slack", now)).isEmpty();
    }

    @Test
    void refusesAndDeletesExpiredOrForeignStates() {
        Instant now = Instant.now();
        states.insert("state-expired", "slack", Optional.empty(), Map.of(), now.minusSeconds(1));
        states.insert("state-foreign", "other", Optional.empty(), Map.of(), now.plusSeconds(600));
        assertThat(states.consume("state-expired", "slack", now)).isEmpty();
        assertThat(states.consume("state-foreign", "slack", now)).isEmpty();
        assertThat(states.consume("state-foreign", "other", now)).isEmpty();
        assertThat(states.consume("never-issued", "slack", now)).isEmpty();
    }

    @Test
    void purgesOnlyExpiredStates() {
        Instant now = Instant.now();
        states.insert("purge-old", "slack", Optional.empty(), Map.of(), now.minusSeconds(60));
        states.insert("purge-live", "slack", Optional.empty(), Map.of(), now.plusSeconds(60));
        assertThat(states.purgeExpired(now)).isGreaterThanOrEqualTo(1);
        assertThat(states.consume("purge-live", "slack", now)).isPresent();
    }

    @Test
    void linksOneLiveIdentityPerProviderSubject() {
        User user = users.create(new NewUser("idowner", "$argon2id$fake", new byte[16], 4096, new byte[32],
                new byte[32], List.of("connector"), true));
        UserIdentity linked = identities.link(user.uid(), "slack", "U123", Optional.of("a@example.com"),
                Optional.of("Ada"), "{\"sub\":\"U123\",\"name\":\"Ada\"}");
        assertThat(identities.find("slack", "U123")).contains(linked);
        assertThat(identities.find("slack", "U999")).isEmpty();
        assertThat(identities.ofUser(user.uid())).containsExactly(linked);
        assertThat(identities.metadata(linked.uid()).orElseThrow()).contains("\"name\": \"Ada\"");
        assertThatThrownBy(() -> identities.link(user.uid(), "slack", "U123", Optional.empty(), Optional.empty(),
                "{}")).isInstanceOf(UnableToExecuteStatementException.class);
    }
}
