package dev.dbbat.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NettyDefaultsTest {
    @Test
    void leakDetectionIsOffWhenNoPropertyChoosesALevel() {
        assertThat(NettyDefaults.leakDetection(name -> null)).contains(ResourceLeakDetector.Level.DISABLED);
    }

    @Test
    void aLevelChosenOnTheCommandLineIsKept() {
        assertThat(NettyDefaults.leakDetection(Map.of(NettyDefaults.PROPERTY, "paranoid")::get)).isEmpty();
        assertThat(NettyDefaults.leakDetection(Map.of(NettyDefaults.LEGACY_PROPERTY, "simple")::get)).isEmpty();
    }
}
