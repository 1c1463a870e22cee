package dev.dbbat.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidV7Test {

    @Test
    void issuesVersion7VariantRfcIds() {
        UUID id = UuidV7.next();

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void issuesStrictlyIncreasingIdsWithinOneMillisecond() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ids.add(UuidV7.next());
        }
        for (int i = 1; i < ids.size(); i++) {
            // PostgreSQL compares uuids as unsigned bytes: the most significant half decides here.
            assertThat(Long.compareUnsigned(
                            ids.get(i).getMostSignificantBits(), ids.get(i - 1).getMostSignificantBits()))
                    .isPositive();
        }
    }

    @Test
    void embedsTheCurrentTime() {
        long before = System.currentTimeMillis();
        long stamp = UuidV7.timestampMillis(UuidV7.next());

        assertThat(stamp).isBetween(before, System.currentTimeMillis() + 1000);
    }

    @Test
    void theRandomBitsLookRandomAcrossRefillsAndThreads() throws Exception {
        // 2,000 ids cross the per-thread keystream's refills (512 ids each)
        Set<Long> bits = new HashSet<>();
        long ones = 0;
        for (int i = 0; i < 2000; i++) {
            long random = UuidV7.next().getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL;
            bits.add(random);
            ones += Long.bitCount(random);
        }
        assertThat(bits).hasSize(2000);
        double share = ones / (2000.0 * 62);
        assertThat(share).isBetween(0.48, 0.52);

        Set<Long> other = new HashSet<>();
        Thread thread = new Thread(() -> {
            for (int i = 0; i < 2000; i++) {
                other.add(UuidV7.next().getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL);
            }
        });
        thread.start();
        thread.join();
        assertThat(other).hasSize(2000).doesNotContainAnyElementsOf(bits);
    }
}
