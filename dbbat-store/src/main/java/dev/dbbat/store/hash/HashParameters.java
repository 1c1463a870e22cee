package dev.dbbat.store.hash;

import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Argon2id cost parameters (behaviour §2.2 {@code DBB_HASH_*}, which DBBat for Java honours). Immutable.
 *
 * @param memoryKiB memory cost in KiB ({@code m}), at least {@code 8 * parallelism}
 * @param iterations time cost ({@code t}), at least 1
 * @param parallelism lanes ({@code p}), at least 1
 */
public record HashParameters(int memoryKiB, int iterations, int parallelism) {
    /** Preset {@code default}: 64 MiB, t=1, p=4. */
    public static final HashParameters DEFAULT = new HashParameters(64 * 1024, 1, 4);
    /** Preset {@code low}: 16 MiB, t=2, p=2. */
    public static final HashParameters LOW = new HashParameters(16 * 1024, 2, 2);
    /** Preset {@code minimal}: 4 MiB, t=3, p=1 (test mode's default). */
    public static final HashParameters MINIMAL = new HashParameters(4 * 1024, 3, 1);

    private static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;

    public HashParameters {
        if (parallelism < 1 || parallelism > 255) {
            throw new IllegalArgumentException("parallelism: " + parallelism + " (expected: 1..255)");
        }
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations: " + iterations + " (expected: >= 1)");
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("memoryKiB: " + memoryKiB + " (expected: " + 8 * parallelism + ".."
                    + MAX_MEMORY_KIB + ")");
        }
    }

    /**
     * A preset by name: {@code default} (also empty), {@code low} or {@code minimal}, case-insensitive.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static HashParameters preset(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return switch (wanted) {
            case "", "default" -> DEFAULT;
            case "low" -> LOW;
            case "minimal" -> MINIMAL;
            default -> throw new IllegalArgumentException(
                    "DBB_HASH_PRESET must be one of default, low, minimal (got " + name + ")");
        };
    }

    /**
     * The parameters from configuration: the preset, then each explicit value overriding the preset's.
     *
     * @param preset {@code DBB_HASH_PRESET} ({@code default} when null or empty)
     * @param memoryMb {@code DBB_HASH_MEMORY_MB}, in MiB
     * @param time {@code DBB_HASH_TIME}
     * @param threads {@code DBB_HASH_THREADS}
     */
    public static HashParameters fromConfig(
            String preset, OptionalInt memoryMb, OptionalInt time, OptionalInt threads) {
        HashParameters base = preset(preset);
        return new HashParameters(
                memoryMb.isPresent() ? Math.multiplyExact(memoryMb.getAsInt(), 1024) : base.memoryKiB,
                time.orElse(base.iterations),
                threads.orElse(base.parallelism));
    }

    /**
     * The parameters from {@code DBB_HASH_PRESET}, {@code DBB_HASH_MEMORY_MB}, {@code DBB_HASH_TIME} and
     * {@code DBB_HASH_THREADS} in {@code env}; blank values count as unset.
     *
     * @throws IllegalArgumentException naming the variable when a value is not a number or out of range
     */
    public static HashParameters fromEnv(Map<String, String> env) {
        return fromConfig(env.get("DBB_HASH_PRESET"), intVar(env, "DBB_HASH_MEMORY_MB"), intVar(env, "DBB_HASH_TIME"),
                intVar(env, "DBB_HASH_THREADS"));
    }

    private static OptionalInt intVar(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(name + " must be an integer (got " + value.trim() + ")");
        }
    }

    @Override
    public String toString() {
        return "m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism;
    }
}
