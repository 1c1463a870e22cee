package dev.dbbat.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ListenAddressTest {

    @Test
    void parsesPortOnlyAsEveryInterface() {
        ListenAddress address = ListenAddress.parse(":5434");
        assertThat(address.enabled()).isTrue();
        assertThat(address.host()).isEmpty();
        assertThat(address.port()).isEqualTo(5434);
        assertThat(address.bindHost()).isEqualTo("0.0.0.0");
    }

    @Test
    void parsesHostAndPort() {
        assertThat(ListenAddress.parse("127.0.0.1:4200")).isEqualTo(new ListenAddress("127.0.0.1", 4200));
        assertThat(ListenAddress.parse("localhost:0").port()).isZero();
    }

    @Test
    void parsesBracketedIpv6() {
        assertThat(ListenAddress.parse("[::1]:5434")).isEqualTo(new ListenAddress("::1", 5434));
        assertThat(ListenAddress.parse("[::1]:5434").toString()).isEqualTo("[::1]:5434");
    }

    @Test
    void treatsEmptyAsDisabled() {
        assertThat(ListenAddress.parse("").enabled()).isFalse();
        assertThat(ListenAddress.parse("  ").socketAddress()).isEmpty();
    }

    @Test
    void rejectsNonNumericPort() {
        assertThatThrownBy(() -> ListenAddress.parse(":abc")).hasMessage("port must be a number");
    }

    @Test
    void rejectsOutOfRangePort() {
        assertThatThrownBy(() -> ListenAddress.parse(":70000")).hasMessage("port must be between 0 and 65535");
    }

    @Test
    void rejectsMissingColonAndUnbracketedIpv6() {
        assertThatThrownBy(() -> ListenAddress.parse("5434")).hasMessageContaining("expected :port");
        assertThatThrownBy(() -> ListenAddress.parse("::1:5434")).hasMessageContaining("bracketed");
        assertThatThrownBy(() -> ListenAddress.parse("host:")).hasMessage("missing port");
    }
}
