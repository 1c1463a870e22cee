package dev.dbbat.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resources a running server owns, stopped in the reverse order of their start (style.md §7: listeners first,
 * then the writer drain, then the pool, then the embedded PostgreSQL and the home lock). Each stop step has its own
 * timeout; a step that overruns is logged at WARN and left behind so the rest still stop. Thread-safe.
 */
final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    /** One resource to stop. */
    @FunctionalInterface
    interface Stopper {
        void stop() throws Exception;
    }

    private record Step(String name, Stopper stopper, long timeoutMillis) {}

    private final Deque<Step> steps = new ArrayDeque<>();
    private boolean stopped;

    /**
     * Registers a resource to stop (after every resource registered later). After {@link #stopAll()} the resource is
     * stopped at once and a {@link StartupException} ends the start-up.
     */
    synchronized void onStop(String name, long timeoutMillis, Stopper stopper) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(stopper, "stopper");
        if (stopped) {
            // SIGTERM arrived while starting: stop what was just started, then abandon the start-up
            ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "dbbat-shutdown");
                thread.setDaemon(true);
                return thread;
            });
            runStep(new Step(name, stopper, timeoutMillis), executor).shutdownNow();
            throw new StartupException(StartupException.FAILURE, "shut down during start-up", null);
        }
        steps.push(new Step(name, stopper, timeoutMillis));
    }

    /** Stops every registered resource, newest first. Idempotent. */
    synchronized void stopAll() {
        if (stopped) {
            return;
        }
        stopped = true;
        ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dbbat-shutdown");
            thread.setDaemon(true);
            return thread;
        });
        try {
            while (!steps.isEmpty()) {
                executor = runStep(steps.pop(), executor);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    /** Runs one step; returns the executor to use next (a fresh one when the step overran and still holds it). */
    private static ExecutorService runStep(Step step, ExecutorService executor) {
        long started = System.nanoTime();
        Future<?> future = executor.submit(() -> {
            step.stopper().stop();
            return null;
        });
        try {
            future.get(step.timeoutMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("stopped {} in {} ms", step.name(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return executor;
        } catch (TimeoutException ex) {
            LOG.warn("stopping {} took more than {} ms: moving on", step.name(), step.timeoutMillis());
            future.cancel(true);
            executor.shutdownNow();
            return Executors.newSingleThreadExecutor(runnable -> {
                Thread thread = new Thread(runnable, "dbbat-shutdown");
                thread.setDaemon(true);
                return thread;
            });
        } catch (ExecutionException ex) {
            LOG.warn("stopping {} failed: {}", step.name(), String.valueOf(ex.getCause()), ex.getCause());
            return executor;
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            LOG.warn("interrupted while stopping {}", step.name());
            return executor;
        }
    }
}
