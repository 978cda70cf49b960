package caravan.enrich.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressesTest {

    @ParameterizedTest
    @ValueSource(strings = {"81.2.69.142", "8.8.8.8", "1.128.0.1", "2001:218::1", "[2a00:1450::1]", "::ffff:81.2.69.142",
        "100.63.255.255", "100.128.0.1", "172.15.0.1", "172.32.0.1", "192.169.0.1", "198.20.0.1", "223.255.255.255"})
    void publicAddresses(String s) {
        InetAddress a = IpAddresses.parse(s);
        assertThat(a).isNotNull();
        assertThat(IpAddresses.isPublic(a)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "192.0.2.10", "198.51.100.7", "203.0.113.9", "198.18.0.1", "224.0.0.1", "240.0.0.1",
        "255.255.255.255", "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1", "ff02::1", "2001:db8::1",
        "::ffff:10.0.0.1", "::ffff:127.0.0.1"})
    void addressesNoDatabaseKnows(String s) {
        InetAddress a = IpAddresses.parse(s);
        assertThat(a).isNotNull();
        assertThat(IpAddresses.isPublic(a)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "1.2.3.4 ",
        "abc", "face", "12:zz::1", "-", "::g", "1.2.3.-4"})
    void notALiteralIsNullAndNeverResolved(String s) {
        assertThat(IpAddresses.parse(s)).isNull();
    }
}
