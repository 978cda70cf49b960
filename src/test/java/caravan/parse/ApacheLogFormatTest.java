package caravan.parse;

import static caravan.parse.Docs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ApacheLogFormatTest {
    private static final String T = "[17/May/2015:10:05:03 +0000]";
    private static final String T_ISO = "2015-05-17T10:05:03.000Z";

    /** One directive between literals: what the value becomes in the document. */
    static Stream<Arguments> directives() {
        return Stream.of(
                Arguments.of("%a", "192.0.2.1", Map.of("source.ip", "192.0.2.1")),
                Arguments.of("%a", "2001:db8::1", Map.of("source.ip", "2001:db8::1")),
                Arguments.of("%{c}a", "10.0.0.1", Map.of("apache.access.peer_address", "10.0.0.1")),
                Arguments.of("%A", "10.0.0.2", Map.of("server.ip", "10.0.0.2")),
                Arguments.of("%B", "1234", Map.of("http.response.body.bytes", 1234L)),
                Arguments.of("%b", "1234", Map.of("http.response.body.bytes", 1234L)),
                Arguments.of("%{session}C", "abc123", Map.of("apache.access.cookie.session", "abc123")),
                Arguments.of("%D", "1500", Map.of("event.duration", 1_500_000L)),
                Arguments.of("%{HOME}e", "/root", Map.of("apache.access.env.home", "/root")),
                Arguments.of("%f", "/var/www/index.html", Map.of("file.path", "/var/www/index.html")),
                Arguments.of("%h", "192.0.2.7", Map.of("source.ip", "192.0.2.7")),
                Arguments.of("%h", "crawl-66-249-73-135.googlebot.com",
                        Map.of("source.domain", "crawl-66-249-73-135.googlebot.com")),
                Arguments.of("%H", "HTTP/1.1", Map.of("http.version", "1.1")),
                Arguments.of("%H", "HTTP/2.0", Map.of("http.version", "2.0")),
                Arguments.of("%{Referer}i", "https://example.com/a?b=c",
                        Map.of("http.request.referrer", "https://example.com/a?b=c")),
                Arguments.of("%{User-Agent}i", "curl/8.0", Map.of("user_agent.original", "curl/8.0")),
                Arguments.of("%{X-Forwarded-For}i", "203.0.113.9, 10.0.0.1",
                        Map.of("client.ip", "203.0.113.9", "http.request.header.x-forwarded-for", "203.0.113.9, 10.0.0.1")),
                Arguments.of("%{Host}i", "example.com:8080", Map.of("url.domain", "example.com", "url.port", 8080L)),
                Arguments.of("%{Accept-Language}i", "en-GB", Map.of("http.request.header.accept-language", "en-GB")),
                Arguments.of("%I", "512", Map.of("http.request.bytes", 512L)),
                Arguments.of("%k", "3", Map.of("apache.access.keepalive_requests", 3L)),
                Arguments.of("%l", "ident1", Map.of("apache.access.identity", "ident1")),
                Arguments.of("%L", "YXZ1b2dlbg", Map.of("http.request.id", "YXZ1b2dlbg")),
                Arguments.of("%m", "PATCH", Map.of("http.request.method", "PATCH")),
                Arguments.of("%{mynote}n", "v", Map.of("apache.access.note.mynote", "v")),
                Arguments.of("%{Content-Type}o", "text/html", Map.of("http.response.mime_type", "text/html")),
                Arguments.of("%{Cache-Control}o", "no-cache", Map.of("http.response.header.cache-control", "no-cache")),
                Arguments.of("%O", "4321", Map.of("http.response.bytes", 4321L)),
                Arguments.of("%p", "443", Map.of("server.port", 443L)),
                Arguments.of("%{canonical}p", "80", Map.of("server.port", 80L)),
                Arguments.of("%{local}p", "8443", Map.of("server.port", 8443L)),
                Arguments.of("%{remote}p", "51234", Map.of("source.port", 51234L)),
                Arguments.of("%P", "1234", Map.of("process.pid", 1234L)),
                Arguments.of("%{pid}P", "1234", Map.of("process.pid", 1234L)),
                Arguments.of("%{tid}P", "140", Map.of("process.thread.id", 140L)),
                Arguments.of("%{hextid}P", "7f3a", Map.of("apache.access.thread_hex", "7f3a")),
                Arguments.of("%q", "?a=1&b=2", Map.of("url.query", "a=1&b=2")),
                Arguments.of("%r", "GET /a/b?x=1 HTTP/1.1", Map.of("http.request.method", "GET", "url.original",
                        "/a/b?x=1", "url.path", "/a/b", "url.query", "x=1", "http.version", "1.1")),
                Arguments.of("%R", "php-fpm", Map.of("apache.access.handler", "php-fpm")),
                Arguments.of("%s", "404", Map.of("http.response.status_code", 404L)),
                Arguments.of("%>s", "301", Map.of("http.response.status_code", 301L)),
                Arguments.of("%<s", "200", Map.of("http.response.status_code", 200L)),
                Arguments.of("%S", "9999", Map.of("apache.access.bytes_transferred", 9999L)),
                Arguments.of("%T", "2", Map.of("event.duration", 2_000_000_000L)),
                Arguments.of("%{s}T", "3", Map.of("event.duration", 3_000_000_000L)),
                Arguments.of("%{ms}T", "150", Map.of("event.duration", 150_000_000L)),
                Arguments.of("%{us}T", "150", Map.of("event.duration", 150_000L)),
                Arguments.of("%u", "alice", Map.of("user.name", "alice")),
                Arguments.of("%U", "/index.html", Map.of("url.path", "/index.html", "url.original", "/index.html")),
                Arguments.of("%v", "www.example.com", Map.of("destination.domain", "www.example.com")),
                Arguments.of("%V", "example.org", Map.of("url.domain", "example.org")),
                Arguments.of("%X", "+", Map.of("apache.access.connection_status", "+")),
                Arguments.of("%{SSL_PROTOCOL}x", "TLSv1.2", Map.of("tls.version", "1.2", "tls.version_protocol", "tls")),
                Arguments.of("%{SSL_CIPHER}x", "ECDHE-RSA-AES128-GCM-SHA256",
                        Map.of("tls.cipher", "ECDHE-RSA-AES128-GCM-SHA256")),
                Arguments.of("%{SSL_CLIENT_VERIFY}c", "NONE", Map.of("apache.access.ssl.ssl_client_verify", "NONE")),
                Arguments.of("%{Grpc-Status}^to", "0", Map.of("http.response.trailer.grpc-status", "0")),
                Arguments.of("%{X-Checksum}^ti", "abc", Map.of("http.request.trailer.x-checksum", "abc")),
                Arguments.of("%400,501{User-agent}i", "Bot/1", Map.of("user_agent.original", "Bot/1")),
                Arguments.of("%!200,304{Referer}i", "http://r/", Map.of("http.request.referrer", "http://r/")));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("directives")
    void eachDirectiveLandsInItsField(String directive, String value, Map<String, Object> expected) throws Exception {
        Map<String, Object> d = doc("apache:<" + directive + "> end", "<" + value + "> end");
        assertThat(d).containsAllEntriesOf(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"%b", "%B", "%h", "%u", "%{Referer}i", "%{User-Agent}i", "%D", "%T", "%s", "%O", "%I",
        "%{X-Forwarded-For}i", "%v", "%V", "%p", "%{foo}e", "%{Content-Type}o", "%m", "%U", "%q", "%r", "%H", "%k"})
    void aDashIsAbsent(String directive) throws Exception {
        Map<String, Object> d = doc("apache:<" + directive + "> end", "<-> end");
        assertThat(d.keySet()).containsOnly("message");
    }

    @Test
    void percentPercentIsALiteralPercent() throws Exception {
        assertThat(doc("apache:%s 100%% %b", "200 100% 5")).containsEntry("http.response.status_code", 200L)
                .containsEntry("http.response.body.bytes", 5L);
        assertThatThrownBy(() -> doc("apache:%s 100%% %b", "200 100 5")).isInstanceOf(ParseException.class);
    }

    @Test
    void defaultTimeIsTheBracketedCommonLogTime() throws Exception {
        assertThat(doc("apache:%t %s", "[17/May/2015:10:05:03 +0200] 200"))
                .containsEntry("@timestamp", "2015-05-17T08:05:03.000Z");
        assertThat(doc("apache:%t %s", "[01/Jan/2016:00:30:00 -0130] 200"))
                .containsEntry("@timestamp", "2016-01-01T02:00:00.000Z");
    }

    @Test
    void strftimeTimes() throws Exception {
        assertThat(doc("apache:[%{%d/%b/%Y:%H:%M:%S %z}t] %s", "[17/May/2015:10:05:03 +0000] 200"))
                .containsEntry("@timestamp", T_ISO);
        assertThat(doc("apache:%{%Y-%m-%d %H:%M:%S}t %s", "2015-05-17 10:05:03 200")).containsEntry("@timestamp", T_ISO);
        assertThat(doc("apache:%{%Y-%m-%dT%H:%M:%S%z}t %s", "2015-05-17T12:05:03+0200 200"))
                .containsEntry("@timestamp", T_ISO);
        assertThat(doc("apache:%{%F %T}t %s", "2015-05-17 10:05:03 200")).containsEntry("@timestamp", T_ISO);
        assertThat(doc("apache:%{%a, %d %b %Y %H:%M:%S %Z}t|%s", "Sun, 17 May 2015 10:05:03 GMT|200"))
                .containsEntry("@timestamp", T_ISO);
        assertThat(doc("apache:%{%D %r}t %s", "05/17/15 10:05:03 AM 200")).containsEntry("@timestamp", T_ISO);
        assertThat(doc("apache:%{%c}t|%s", "Sun May 17 10:05:03 2015|200")).containsEntry("@timestamp", T_ISO);
        assertThat(doc("apache:%{%Y %j %H:%M:%S}t %s", "2015 137 10:05:03 200")).containsEntry("@timestamp", T_ISO);
    }

    @Test
    void timeWithoutOffsetUsesTheConfiguredZone() throws Exception {
        assertThat(doc("apache[tz=Europe/Paris]:%{%Y-%m-%d %H:%M:%S}t %s", "2015-05-17 12:05:03 200"))
                .containsEntry("@timestamp", T_ISO);
        assertThat(doc("apache[tz=+02:00]:%{%Y-%m-%d %H:%M:%S}t %s", "2015-05-17 12:05:03 200"))
                .containsEntry("@timestamp", T_ISO);
    }

    @Test
    void epochAndFractionTokens() throws Exception {
        long ms = Instant.parse("2015-05-17T10:05:03.250Z").toEpochMilli();
        assertThat(doc("apache:%{sec}t %s", (ms / 1000) + " 200")).containsEntry("@timestamp", T_ISO);
        assertThat(doc("apache:%{msec}t %s", ms + " 200")).containsEntry("@timestamp", "2015-05-17T10:05:03.250Z");
        assertThat(doc("apache:%{usec}t %s", (ms * 1000 + 999) + " 200"))
                .containsEntry("@timestamp", "2015-05-17T10:05:03.250Z");
        assertThat(doc("apache:%{end:sec}t %s", (ms / 1000) + " 200")).containsEntry("@timestamp", T_ISO);
        // The Apache manual's own example: the time split over three directives.
        assertThat(doc("apache:[%{%d/%b/%Y %T}t.%{msec_frac}t %{%z}t] %s", "[17/May/2015 12:05:03.250 +0200] 200"))
                .containsEntry("@timestamp", "2015-05-17T10:05:03.250Z");
        assertThat(doc("apache:%{begin:%d/%b/%Y %T}t.%{begin:usec_frac}t %s", "17/May/2015 10:05:03.123456 200"))
                .containsEntry("@timestamp", "2015-05-17T10:05:03.123Z");
        assertThat(doc("apache:%{sec}t.%{msec_frac}t %s", (ms / 1000) + ".250 200"))
                .containsEntry("@timestamp", "2015-05-17T10:05:03.250Z");
    }

    @Test
    void beginTimeWinsOverEndTime() throws Exception {
        assertThat(doc("apache:%{end:%Y-%m-%d %T}t %{begin:%Y-%m-%d %T}t %s", "2015-05-17 10:05:09 2015-05-17 10:05:03 200"))
                .containsEntry("@timestamp", T_ISO);
    }

    @Test
    void unreadableTimeFailsTheLine() {
        assertThatThrownBy(() -> doc("combined", "1.2.3.4 - - [17/Foo/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\""))
                .isInstanceOf(ParseException.class)
                .satisfies(x -> assertThat(((ParseException) x).position()).isEqualTo(12)); // where the time starts
        assertThatThrownBy(() -> doc("combined", "1.2.3.4 - - [31/Feb/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\""))
                .isInstanceOf(ParseException.class);
    }

    @Test
    void commonPreset() throws Exception {
        Map<String, Object> d = doc("common", "127.0.0.1 - frank " + T + " \"GET /apache_pb.gif HTTP/1.0\" 200 2326");
        assertThat(d).contains(entry("source.ip", "127.0.0.1"), entry("user.name", "frank"), entry("@timestamp", T_ISO),
                entry("http.request.method", "GET"), entry("url.path", "/apache_pb.gif"), entry("http.version", "1.0"),
                entry("http.response.status_code", 200L), entry("http.response.body.bytes", 2326L));
        assertThat(Parsers.forFormat("common").dataset()).isEqualTo("apache.access");
    }

    @Test
    void combinedPreset() throws Exception {
        String line = "66.249.73.135 - - " + T + " \"GET /blog/tags/puppet?flav=rss20 HTTP/1.1\" 200 14872"
                + " \"http://www.example.com/start.html\" \"Mozilla/5.0 (compatible; Googlebot/2.1)\"";
        Map<String, Object> d = doc("combined", line);
        assertThat(d).contains(entry("message", line), entry("source.ip", "66.249.73.135"),
                entry("url.original", "/blog/tags/puppet?flav=rss20"), entry("url.path", "/blog/tags/puppet"),
                entry("url.query", "flav=rss20"), entry("http.request.referrer", "http://www.example.com/start.html"),
                entry("user_agent.original", "Mozilla/5.0 (compatible; Googlebot/2.1)"));
        assertThat(d).doesNotContainKey("user.name");
    }

    @Test
    void vhostCombinedPreset() throws Exception {
        Map<String, Object> d = doc("vhost_combined", "www.example.com:443 192.0.2.1 - - " + T
                + " \"GET / HTTP/2.0\" 200 5120 \"-\" \"curl/8.4.0\"");
        assertThat(d).contains(entry("destination.domain", "www.example.com"), entry("server.port", 443L),
                entry("source.ip", "192.0.2.1"), entry("http.response.bytes", 5120L), entry("http.version", "2.0"),
                entry("user_agent.original", "curl/8.4.0"));
        assertThat(d).doesNotContainKeys("http.request.referrer", "http.response.body.bytes");
    }

    @Test
    void refererPreset() throws Exception {
        Map<String, Object> d = doc("referer", "http://www.example.com/links.html -> /about.html");
        assertThat(d).contains(entry("http.request.referrer", "http://www.example.com/links.html"),
                entry("url.path", "/about.html"), entry("url.original", "/about.html"));
    }

    @Test
    void agentPreset() throws Exception {
        assertThat(doc("agent", "Mozilla/4.08 [en] (Win98; I ;Nav)"))
                .containsEntry("user_agent.original", "Mozilla/4.08 [en] (Win98; I ;Nav)");
    }

    @Test
    void urlIsComposedFromPathAndQueryWhenThereIsNoRequestLine() throws Exception {
        Map<String, Object> d = doc("apache:%m %U%q %H %>s", "GET /search?q=x HTTP/1.1 200");
        assertThat(d).contains(entry("url.path", "/search"), entry("url.query", "q=x"),
                entry("url.original", "/search?q=x"), entry("http.request.method", "GET"), entry("http.version", "1.1"));
        assertThat(doc("apache:%m %U%q %H %>s", "GET /search HTTP/1.1 200")).containsEntry("url.original", "/search")
                .doesNotContainKey("url.query");
    }

    @Test
    void formatAsWrittenInHttpdConf() throws Exception {
        String line = "127.0.0.1 - - " + T + " \"GET / HTTP/1.1\" 200 5";
        assertThat(doc("apache:\"%h %l %u %t \\\"%r\\\" %>s %b\"", line)).containsEntry("url.path", "/");
        assertThat(doc("apache:%h %l %u %t \\\"%r\\\" %>s %b", line)).containsEntry("url.path", "/");
        assertThat(doc("apache:LogFormat \"%h %l %u %t \\\"%r\\\" %>s %b\" common", line)).containsEntry("url.path", "/");
        assertThat(doc("apache:%h\\t%>s", "1.2.3.4\t200")).containsEntry("http.response.status_code", 200L);
    }

    @Test
    void escapedValuesAreDecoded() throws Exception {
        Map<String, Object> d = doc("combined", "1.2.3.4 - - " + T + " \"GET /a\\\"b HTTP/1.1\" 200 1"
                + " \"-\" \"Agent \\\"quoted\\\" \\\\ back \\xc3\\xa9t\\xc3\\xa9\"");
        assertThat(d).containsEntry("url.original", "/a\"b")
                .containsEntry("user_agent.original", "Agent \"quoted\" \\ back été");
    }

    @Test
    void quoteFollowedBySpaceInsideAnEscapedValueDoesNotEndIt() throws Exception {
        Map<String, Object> d = doc("combined", "1.2.3.4 - - " + T + " \"GET / HTTP/1.1\" 200 1"
                + " \"http://x/\\\" 5\" \"UA\"");
        assertThat(d).containsEntry("http.request.referrer", "http://x/\" 5").containsEntry("user_agent.original", "UA");
    }

    @Test
    void unquotedRequestLineEndsBeforeTheStatus() throws Exception {
        Map<String, Object> d = doc("apache:%h %r %>s %b", "1.2.3.4 GET /a b HTTP/1.1 404 0");
        assertThat(d).contains(entry("url.original", "/a b"), entry("http.response.status_code", 404L),
                entry("http.response.body.bytes", 0L));
    }

    @Test
    void userNameWithASpaceBeforeTheTime() throws Exception {
        Map<String, Object> d = doc("common", "1.2.3.4 - john doe " + T + " \"GET / HTTP/1.1\" 200 1");
        assertThat(d).containsEntry("user.name", "john doe").containsEntry("@timestamp", T_ISO);
    }

    @Test
    void ipv6Clients() throws Exception {
        Map<String, Object> d = doc("combined", "2001:db8:85a3::8a2e:370:7334 - - " + T + " \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"");
        assertThat(d).containsEntry("source.ip", "2001:db8:85a3::8a2e:370:7334");
        assertThat(doc("combined", "::ffff:192.0.2.128 - - " + T + " \"GET / HTTP/1.1\" 200 1 \"-\" \"-\""))
                .containsEntry("source.ip", "::ffff:192.0.2.128");
        assertThat(doc("combined", "::1 - - " + T + " \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"")).containsEntry("source.ip", "::1");
    }

    @Test
    void notAnIpIsNeverPutInSourceIp() throws Exception {
        assertThat(doc("combined", "999.1.1.1 - - " + T + " \"GET / HTTP/1.1\" 200 1 \"-\" \"-\""))
                .doesNotContainKey("source.ip").containsEntry("source.address", "999.1.1.1");
        assertThat(doc("combined", "<script> - - " + T + " \"GET / HTTP/1.1\" 200 1 \"-\" \"-\""))
                .doesNotContainKey("source.ip").containsEntry("source.address", "<script>");
    }

    @Test
    void proxyRequestsWithAbsoluteTargets() throws Exception {
        Map<String, Object> d = doc("combined", "1.2.3.4 - - " + T
                + " \"GET http://evil.example:8080/proxy.php?x=1 HTTP/1.1\" 200 1 \"-\" \"-\"");
        assertThat(d).contains(entry("url.original", "http://evil.example:8080/proxy.php?x=1"), entry("url.scheme", "http"),
                entry("url.domain", "evil.example"), entry("url.port", 8080L), entry("url.path", "/proxy.php"),
                entry("url.query", "x=1"));
        Map<String, Object> c = doc("combined", "1.2.3.4 - - " + T + " \"CONNECT example.com:443 HTTP/1.1\" 405 1 \"-\" \"-\"");
        assertThat(c).containsEntry("http.request.method", "CONNECT").containsEntry("url.original", "example.com:443")
                .doesNotContainKey("url.path");
    }

    @Test
    void unknownDirectiveIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> Parsers.compileUncached("apache:%h %Z %s"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("%Z").hasMessageContaining("position 3");
        assertThatThrownBy(() -> Parsers.compileUncached("apache:%h %{Referer}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("incomplete");
        assertThatThrownBy(() -> Parsers.compileUncached("apache:%h %{Referer i"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never closed");
        assertThatThrownBy(() -> Parsers.compileUncached("apache:%i")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a name");
        assertThatThrownBy(() -> Parsers.compileUncached("apache:%{min}T")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("s, ms or us");
        assertThatThrownBy(() -> Parsers.compileUncached("apache:%{%Q}t")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("%Q");
        assertThatThrownBy(() -> Parsers.compileUncached("apache:just text")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no % directive");
    }

    @Test
    void statusThatIsNotANumberIsDroppedAndNamed() throws Exception {
        Map<String, Object> d = doc("common", "1.2.3.4 - - " + T + " \"GET / HTTP/1.1\" abc 12");
        assertThat(d).doesNotContainKey("http.response.status_code").containsEntry("http.response.body.bytes", 12L)
                .containsEntry("caravan.invalid_fields", java.util.List.of("http.response.status_code"));
    }

    @Test
    void lineThatIsNotTheFormatFailsWithPositionAndReason() {
        assertThatThrownBy(() -> doc("combined", "this is not an access log line"))
                .isInstanceOf(ParseException.class)
                .satisfies(x -> {
                    ParseException p = (ParseException) x;
                    assertThat(p.position()).isBetween(0, 30);
                    assertThat(p.reason()).isNotBlank();
                });
        assertThatThrownBy(() -> doc("combined", "")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> doc("combined", "1.2.3.4 - - " + T + " \"GET / HTTP/1.1\" 200 1 \"-\" \"-\" extra \"x\""))
                .isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> doc("common", "1.2.3.4 - -")).isInstanceOf(ParseException.class);
    }
}
