package dev.dbbat.store.hash;

import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Argon2id (v19) hashing of passwords, API keys and web tokens (behaviour §3.1), in the encoded form
 * {@code $argon2id$v=19$m=65536,t=1,p=4$<salt>$<hash>} with a 16-byte salt and a 32-byte hash.
 *
 * <p>Hashing uses the configured {@link HashParameters}; verification reads m, t and p from the stored string, so
 * hashes made with other parameters still verify. Anything other than an argon2id string verifies as {@code false}.
 *
 * <p>The asynchronous methods run on a bounded executor ({@code dbbat-auth-N} daemon threads, one per CPU, bounded
 * queue); when it is saturated they return an already-failed future ({@link RejectedExecutionException}) rather than
 * queueing without limit. Every method wipes the {@code char[]} it is given, success or failure.
 *
 * <p>The futures complete on a {@code dbbat-auth} thread: Netty callers hop back to their event loop
 * ({@code ctx.executor().execute(...)}) before touching the channel.
 *
 * <p>Thread-safe. {@link #close()} stops the executor.
 */
public final class PasswordHasher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PasswordHasher.class);
    private static final String PREFIX = "$argon2id$";
    private static final int SALT_LENGTH = 16;
    private static final int HASH_LENGTH = 32;
    /** Default bound of the executor's queue. */
    public static final int DEFAULT_QUEUE_CAPACITY = 512;
    private static final long REJECTION_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, SALT_LENGTH, HASH_LENGTH);
    private final HashParameters parameters;
    private final ThreadPoolExecutor executor;
    /** A hash of a random secret with the current parameters, made on first use. */
    private volatile String decoy;
    private final AtomicLong lastRejectionLog = new AtomicLong(System.nanoTime() - REJECTION_LOG_INTERVAL_NANOS - 1);

    /** A hasher with one thread per CPU and a queue of {@link #DEFAULT_QUEUE_CAPACITY}. */
    public PasswordHasher(HashParameters parameters) {
        this(parameters, Runtime.getRuntime().availableProcessors(), DEFAULT_QUEUE_CAPACITY);
    }

    /**
     * @param parameters the cost of new hashes
     * @param threads executor threads (core = max)
     * @param queueCapacity tasks that may wait for a thread; beyond that, submissions fail
     */
    public PasswordHasher(HashParameters parameters, int threads, int queueCapacity) {
        this.parameters = Objects.requireNonNull(parameters, "parameters");
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity: " + queueCapacity + " (expected: >= 1)");
        }
        this.executor = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queueCapacity), new NamedDaemonThreads("dbbat-auth-"),
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** The parameters new hashes are made with. */
    public HashParameters parameters() {
        return parameters;
    }

    /** Hashes {@code secret} on the auth executor, then wipes it. */
    public CompletableFuture<String> hash(char[] secret) {
        Objects.requireNonNull(secret, "secret");
        return submit(secret, () -> hashNow(secret));
    }

    /**
     * Verifies {@code secret} against {@code encoded} on the auth executor, then wipes it. Completes with
     * {@code false} for a wrong secret or a malformed or non-argon2id {@code encoded}.
     */
    public CompletableFuture<Boolean> verify(String encoded, char[] secret) {
        Objects.requireNonNull(encoded, "encoded");
        Objects.requireNonNull(secret, "secret");
        return submit(secret, () -> verifyNow(encoded, secret));
    }

    private <T> CompletableFuture<T> submit(char[] secret, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(work.get());
                } catch (RuntimeException | Error ex) {
                    result.completeExceptionally(ex);
                }
            });
        } catch (RejectedExecutionException ex) {
            argon2.wipeArray(secret);
            long now = System.nanoTime();
            long last = lastRejectionLog.get();
            if (now - last > REJECTION_LOG_INTERVAL_NANOS && lastRejectionLog.compareAndSet(last, now)) {
                LOG.warn("argon2 executor saturated or closed: rejecting hash requests (queue depth {})", queueDepth());
            }
            result.completeExceptionally(ex);
        }
        return result;
    }

    /**
     * Does the work of a verification and completes with {@code false}: for logins naming an unknown user, so that
     * they take as long as a wrong password (no user enumeration by timing). Wipes {@code secret}.
     */
    public CompletableFuture<Boolean> verifyUnknownUser(char[] secret) {
        Objects.requireNonNull(secret, "secret");
        return submit(secret, () -> {
            verifyNow(decoy(), secret);
            return false;
        });
    }

    private String decoy() {
        String result = decoy;
        if (result == null) {
            char[] random = java.util.UUID.randomUUID().toString().toCharArray();
            result = hashNow(random);
            decoy = result;
        }
        return result;
    }

    /** Hashes {@code secret} on the calling thread (never an event loop), then wipes it. */
    public String hashNow(char[] secret) {
        Objects.requireNonNull(secret, "secret");
        try {
            return argon2.hash(parameters.iterations(), parameters.memoryKiB(), parameters.parallelism(), secret,
                    StandardCharsets.UTF_8);
        } finally {
            argon2.wipeArray(secret);
        }
    }

    /** Verifies on the calling thread (never an event loop), then wipes {@code secret}. */
    public boolean verifyNow(String encoded, char[] secret) {
        Objects.requireNonNull(encoded, "encoded");
        Objects.requireNonNull(secret, "secret");
        try {
            if (!encoded.startsWith(PREFIX)) {
                return false;
            }
            return argon2.verify(encoded, secret, StandardCharsets.UTF_8);
        } catch (RuntimeException ex) {
            LOG.debug("argon2 verification failed on a malformed hash: {}", ex.getClass().getSimpleName());
            return false;
        } finally {
            argon2.wipeArray(secret);
        }
    }

    /** Whether {@code encoded} was made with parameters other than the current ones (or is not argon2id). */
    public boolean needsRehash(String encoded) {
        Objects.requireNonNull(encoded, "encoded");
        if (!encoded.startsWith(PREFIX)) {
            return true;
        }
        try {
            return argon2.needsRehash(encoded, parameters.iterations(), parameters.memoryKiB(),
                    parameters.parallelism());
        } catch (RuntimeException ex) {
            return true;
        }
    }

    /** Tasks waiting for an auth thread. */
    public int queueDepth() {
        return executor.getQueue().size();
    }

    /** Stops accepting work and waits up to 5 s for running hashes to end. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("argon2 executor did not stop within 5 s");
                executor.shutdownNow();
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "PasswordHasher[argon2id " + parameters + "]";
    }

    private static final class NamedDaemonThreads implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger counter = new AtomicInteger();

        NamedDaemonThreads(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable runnable) {
            Thread result = new Thread(runnable, prefix + counter.incrementAndGet());
            result.setDaemon(true);
            return result;
        }
    }
}
