package dev.dbbat.server;

import io.netty.util.ResourceLeakDetector;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Netty settings of the runnable server. Buffer leak detection is off unless the JVM is started with
 * {@code -Dio.netty.leakDetection.level} (or the older {@code io.netty.leakDetectionLevel}): Netty's default samples
 * one buffer in 128 and records a stack trace for each, about 4 % of the proxy's CPU under pgbench select-only
 * (bench/README.md). The test suite runs with {@code paranoid}; a server suspected of leaking can be started with
 * {@code -Dio.netty.leakDetection.level=simple}.
 */
final class NettyDefaults {
    static final String PROPERTY = "io.netty.leakDetection.level";
    static final String LEGACY_PROPERTY = "io.netty.leakDetectionLevel";

    private NettyDefaults() {}

    /** Applies {@link #leakDetection} to Netty. Called once, before any buffer is allocated. */
    static void apply() {
        leakDetection(System::getProperty).ifPresent(ResourceLeakDetector::setLevel);
    }

    /** The level to set: {@code DISABLED} unless a system property chooses one (then empty: Netty reads it). */
    static Optional<ResourceLeakDetector.Level> leakDetection(UnaryOperator<String> properties) {
        if (properties.apply(PROPERTY) != null || properties.apply(LEGACY_PROPERTY) != null) {
            return Optional.empty();
        }
        return Optional.of(ResourceLeakDetector.Level.DISABLED);
    }
}
