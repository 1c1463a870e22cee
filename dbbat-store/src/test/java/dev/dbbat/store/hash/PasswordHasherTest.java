package dev.dbbat.store.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(HashParameters.MINIMAL);

    @AfterEach
    void close() {
        hasher.close();
    }

    private static boolean isWiped(char[] array) {
        for (char each : array) {
            if (each != 0) {
                return false;
            }
        }
        return true;
    }

    @Test
    void hashesAndVerifiesARightPassword() throws Exception {
        String encoded = hasher.hash("correct horse".toCharArray()).get(10, TimeUnit.SECONDS);

        assertThat(hasher.verify(encoded, "correct horse".toCharArray()).get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void rejectsAWrongPassword() throws Exception {
        String encoded = hasher.hashNow("correct horse".toCharArray());

        assertThat(hasher.verify(encoded, "correct horsf".toCharArray()).get(10, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void encodesTheConfiguredParameters() {
        String encoded = hasher.hashNow("pw".toCharArray());

        assertThat(encoded).startsWith("$argon2id$v=19$m=4096,t=3,p=1$");
        String[] parts = encoded.split("\\$");
        assertThat(parts).hasSize(6);
        assertThat(parts[4]).hasSize(22); // 16-byte salt, unpadded base64
        assertThat(parts[5]).hasSize(43); // 32-byte hash, unpadded base64
    }

    @Test
    void honoursExplicitParameters() {
        try (PasswordHasher custom = new PasswordHasher(new HashParameters(8 * 1024, 2, 2), 1, 4)) {
            assertThat(custom.hashNow("pw".toCharArray())).startsWith("$argon2id$v=19$m=8192,t=2,p=2$");
        }
    }

    @Test
    void verifiesAHashMadeWithOtherParameters() {
        String encoded;
        try (PasswordHasher other = new PasswordHasher(new HashParameters(8 * 1024, 1, 4), 1, 4)) {
            encoded = other.hashNow("legacy".toCharArray());
        }

        assertThat(encoded).contains("m=8192,t=1,p=4");
        assertThat(hasher.verifyNow(encoded, "legacy".toCharArray())).isTrue();
        assertThat(hasher.needsRehash(encoded)).isTrue();
        assertThat(hasher.needsRehash(hasher.hashNow("x".toCharArray()))).isFalse();
    }

    @Test
    void treatsNonArgon2idHashesAsInvalid() {
        assertThat(hasher.verifyNow("$argon2i$v=19$m=4096,t=3,p=1$c2FsdHNhbHRzYWx0$aGFzaA", "pw".toCharArray()))
                .isFalse();
        assertThat(hasher.verifyNow("garbage", "pw".toCharArray())).isFalse();
        assertThat(hasher.verifyNow("$argon2id$v=19$m=4096,t=3,p=1$!!$!!", "pw".toCharArray())).isFalse();
    }

    @Test
    void wipesTheSecretAfterEachCall() throws Exception {
        char[] first = "secret".toCharArray();
        String encoded = hasher.hash(first).get(10, TimeUnit.SECONDS);
        char[] second = "secret".toCharArray();
        hasher.verify(encoded, second).get(10, TimeUnit.SECONDS);
        char[] third = "secret".toCharArray();
        hasher.verifyNow(encoded, third);

        assertThat(isWiped(first)).isTrue();
        assertThat(isWiped(second)).isTrue();
        assertThat(isWiped(third)).isTrue();
    }

    @Test
    void runsOnTheNamedAuthExecutor() throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        hasher.hash("x".toCharArray()).thenRun(() -> thread.complete(Thread.currentThread().getName()));

        assertThat(thread.get(10, TimeUnit.SECONDS)).startsWith("dbbat-auth-");
    }

    @Test
    void failsFastWhenTheQueueIsFull() {
        List<CompletableFuture<String>> futures = new ArrayList<>();
        List<char[]> secrets = new ArrayList<>();
        try (PasswordHasher tiny = new PasswordHasher(HashParameters.LOW, 1, 1)) {
            for (int i = 0; i < 6; i++) {
                char[] secret = ("pw" + i).toCharArray();
                secrets.add(secret);
                futures.add(tiny.hash(secret));
            }

            assertThat(futures).anySatisfy(future -> assertThat(future).isCompletedExceptionally());
            CompletableFuture<String> rejected = futures.stream().filter(CompletableFuture::isCompletedExceptionally)
                    .findFirst().orElseThrow();
            assertThatThrownBy(rejected::get).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(RejectedExecutionException.class);
        }
        assertThat(secrets).allSatisfy(secret -> assertThat(isWiped(secret)).isTrue());
    }

    @Test
    void failsAfterClose() {
        hasher.close();

        assertThat(hasher.hash("x".toCharArray())).isCompletedExceptionally();
    }

    @Test
    void resolvesPresets() {
        assertThat(HashParameters.preset("default")).isEqualTo(new HashParameters(65536, 1, 4));
        assertThat(HashParameters.preset("")).isEqualTo(HashParameters.DEFAULT);
        assertThat(HashParameters.preset("LOW")).isEqualTo(new HashParameters(16384, 2, 2));
        assertThat(HashParameters.preset("minimal")).isEqualTo(new HashParameters(4096, 3, 1));
        assertThatThrownBy(() -> HashParameters.preset("fast")).hasMessageContaining("DBB_HASH_PRESET");
    }

    @Test
    void overridesPresetValuesFromConfig() {
        assertThat(HashParameters.fromConfig("low", OptionalInt.of(32), OptionalInt.empty(), OptionalInt.of(1)))
                .isEqualTo(new HashParameters(32 * 1024, 2, 1));
        assertThat(HashParameters.fromEnv(Map.of("DBB_HASH_PRESET", "minimal", "DBB_HASH_TIME", "5")))
                .isEqualTo(new HashParameters(4096, 5, 1));
        assertThat(HashParameters.fromEnv(Map.of())).isEqualTo(HashParameters.DEFAULT);
    }

    @Test
    void rejectsBadConfigNamingTheVariable() {
        assertThatThrownBy(() -> HashParameters.fromEnv(Map.of("DBB_HASH_TIME", "abc")))
                .hasMessageContaining("DBB_HASH_TIME");
        assertThatThrownBy(() -> new HashParameters(16, 1, 4)).hasMessageContaining("memoryKiB");
        assertThatThrownBy(() -> new HashParameters(4096, 0, 1)).hasMessageContaining("iterations");
    }

    @Test
    void verifiesUnknownUsersAsFalseAfterDoingTheWork() throws Exception {
        char[] secret = "whatever".toCharArray();

        assertThat(hasher.verifyUnknownUser(secret).get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(isWiped(secret)).isTrue();
    }
}
