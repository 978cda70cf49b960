package caravan.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpsTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "1.2.3.4", "255.255.255.255", "192.168.10.1", "::", "::1", "1::", "2001:db8::1",
        "2001:0db8:85a3:0000:0000:8a2e:0370:7334", "fe80::1ff:fe23:4567:890a", "::ffff:192.0.2.128", "1:2:3:4:5:6:7::",
        "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "ABCD:EF01::"})
    void ips(String s) {
        assertThat(Ips.isIp(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "1..2.3", "a.b.c.d",
        ":", ":::", "1:2", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1::", "1:2:3:4:5:6:7:1.2.3.4", "12345::", "g::1",
        "::1.2.3", "fe80::1%eth0", "[::1]", "1.2.3.4 ", "example.com", "::ffff:1.2.3.256"})
    void notIps(String s) {
        assertThat(Ips.isIp(s)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "crawl-66-249-73-135.googlebot.com", "localhost", "a_b.internal"})
    void hostNames(String s) {
        assertThat(Ips.isHostName(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3.4", "a b", "<x>", "a/b"})
    void notHostNames(String s) {
        assertThat(Ips.isHostName(s)).isFalse();
    }
}
