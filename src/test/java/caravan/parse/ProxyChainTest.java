package caravan.parse;

import static caravan.parse.Docs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 12, fix 8: the client behind proxies, in every format that carries the chain. */
class ProxyChainTest {
    private static final String T = " [25/Oct/2016:14:49:34 +0000] \"GET / HTTP/1.1\" 200 1";

    @AfterEach
    void noTrust() {
        ProxyChain.trust("");
    }

    @Test
    void aPeerFieldHoldingAListGivesTheFirstPublicAddress() throws Exception {
        // The shape of Filebeat's nginx fixture: $remote_addr rewritten by a proxy to the whole chain.
        Map<String, Object> d = doc("nginx:$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent",
                "10.0.0.2, 10.0.0.1, 85.181.35.98, 127.0.0.1 - -" + T);
        assertThat(d).containsEntry("source.ip", "85.181.35.98")
                .containsEntry("network.forwarded_ip", List.of("10.0.0.2", "10.0.0.1", "85.181.35.98", "127.0.0.1"));
    }

    @Test
    void noPublicAddressGivesTheLeftmost() throws Exception {
        assertThat(doc("common", "10.0.0.2, 10.0.0.1, 127.0.0.1 - -" + T)).containsEntry("source.ip", "10.0.0.2");
    }

    @Test
    void trustedProxiesSelectTheFirstUntrustedFromTheRight() throws Exception {
        ProxyChain.trust("10.0.0.0/8, 127.0.0.1");
        // 198.51.100.7 was written by the client itself (spoofed); 203.0.113.5 is what our proxy saw.
        Map<String, Object> d = doc("apache:%h %l %u %t \"%r\" %>s %b \"%{X-Forwarded-For}i\"",
                "10.0.0.1 - -" + T + " \"198.51.100.7, 203.0.113.5, 10.1.2.3\"");
        assertThat(d).containsEntry("source.ip", "203.0.113.5").containsEntry("client.ip", "203.0.113.5")
                .containsEntry("network.forwarded_ip", List.of("198.51.100.7", "203.0.113.5", "10.1.2.3", "10.0.0.1"))
                .containsEntry("http.request.header.x-forwarded-for", "198.51.100.7, 203.0.113.5, 10.1.2.3");
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverTheHeaderSays() throws Exception {
        ProxyChain.trust("10.0.0.0/8");
        assertThat(doc("main", "192.0.2.50 - -" + T + " \"-\" \"ua\" \"198.51.100.7\""))
                .containsEntry("source.ip", "192.0.2.50");
    }

    @Test
    void aHeaderWithoutAddressesLeavesThePeer() throws Exception {
        Map<String, Object> d = doc("main", "192.0.2.50 - -" + T + " \"-\" \"ua\" \"unknown\"");
        assertThat(d).containsEntry("source.ip", "192.0.2.50").doesNotContainKeys("client.ip", "network.forwarded_ip");
    }

    @Test
    void cidrsMatchByPrefixInBothFamilies() {
        ProxyChain.trust("2001:db8::/32,192.168.0.0/23");
        assertThat(ProxyChain.client(List.of("203.0.113.1", "192.168.1.9", "2001:db8:ffff::1"))).isEqualTo("203.0.113.1");
        assertThat(ProxyChain.client(List.of("203.0.113.1", "192.168.2.9"))).isEqualTo("192.168.2.9");
        assertThat(ProxyChain.client(List.of("2001:db9::1", "2001:db8::1"))).isEqualTo("2001:db9::1");
    }

    @Test
    void publicMeansNotPrivateLoopbackLinkLocalOrShared() {
        assertThat(List.of("10.1.1.1", "172.16.0.1", "192.168.0.1", "127.0.0.1", "169.254.1.1", "100.64.0.1",
                "fd00::1", "fe80::1", "::1", "::ffff:10.0.0.1")).noneMatch(ProxyChain::isPublic);
        assertThat(List.of("8.8.8.8", "100.128.0.1", "2001:4860::8888", "172.32.0.1")).allMatch(ProxyChain::isPublic);
    }

    @Test
    void aBadCidrNamesTheKey() {
        assertThatThrownBy(() -> ProxyChain.trust("10.0.0.0/33")).hasMessageContaining("caravan.parse.trusted-proxies");
        assertThatThrownBy(() -> ProxyChain.trust("proxy.local")).hasMessageContaining("not a CIDR");
    }
}
