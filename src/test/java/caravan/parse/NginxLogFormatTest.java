package caravan.parse;

import static caravan.parse.Docs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NginxLogFormatTest {
    private static final String T_ISO = "2015-05-17T10:05:03.000Z";

    static Stream<Arguments> variables() {
        return Stream.of(
                Arguments.of("$remote_addr", "192.0.2.1", Map.of("source.ip", "192.0.2.1")),
                Arguments.of("$remote_addr", "2001:db8::2", Map.of("source.ip", "2001:db8::2")),
                Arguments.of("$remote_port", "40000", Map.of("source.port", 40000L)),
                Arguments.of("$remote_user", "bob", Map.of("user.name", "bob")),
                Arguments.of("$time_local", "17/May/2015:12:05:03 +0200", Map.of("@timestamp", T_ISO)),
                Arguments.of("$time_iso8601", "2015-05-17T12:05:03+02:00", Map.of("@timestamp", T_ISO)),
                Arguments.of("$msec", "1431857103.250", Map.of("@timestamp", "2015-05-17T10:05:03.250Z")),
                Arguments.of("$request", "POST /api/v1/items?id=7 HTTP/2.0", Map.of("http.request.method", "POST",
                        "url.original", "/api/v1/items?id=7", "url.path", "/api/v1/items", "url.query", "id=7",
                        "http.version", "2.0")),
                Arguments.of("$request_method", "DELETE", Map.of("http.request.method", "DELETE")),
                Arguments.of("$request_uri", "/a/b?c=d", Map.of("url.original", "/a/b?c=d", "url.path", "/a/b",
                        "url.query", "c=d")),
                Arguments.of("$uri", "/a/b", Map.of("url.path", "/a/b", "url.original", "/a/b")),
                Arguments.of("$document_uri", "/a/b", Map.of("url.path", "/a/b")),
                Arguments.of("$args", "c=d&e=f", Map.of("url.query", "c=d&e=f")),
                Arguments.of("$query_string", "c=d", Map.of("url.query", "c=d")),
                Arguments.of("$server_protocol", "HTTP/1.0", Map.of("http.version", "1.0")),
                Arguments.of("$status", "499", Map.of("http.response.status_code", 499L)),
                Arguments.of("$body_bytes_sent", "612", Map.of("http.response.body.bytes", 612L)),
                Arguments.of("$bytes_sent", "850", Map.of("http.response.bytes", 850L)),
                Arguments.of("$request_length", "431", Map.of("http.request.bytes", 431L)),
                Arguments.of("$request_time", "0.123", Map.of("event.duration", 123_000_000L)),
                Arguments.of("$request_time", "12.000", Map.of("event.duration", 12_000_000_000L)),
                Arguments.of("$upstream_response_time", "0.120", Map.of("nginx.upstream_response_time", 0.12)),
                Arguments.of("$upstream_response_time", "0.100, 0.020 : 0.005",
                        Map.of("nginx.upstream_response_time", 0.125)),
                Arguments.of("$upstream_connect_time", "0.001", Map.of("nginx.upstream_connect_time", 0.001)),
                Arguments.of("$http_referer", "https://r.example/", Map.of("http.request.referrer", "https://r.example/")),
                Arguments.of("$http_user_agent", "Wget/1.21", Map.of("user_agent.original", "Wget/1.21")),
                Arguments.of("$http_x_forwarded_for", "198.51.100.4", Map.of("client.ip", "198.51.100.4")),
                Arguments.of("$http_x_request_id", "abc", Map.of("http.request.id", "abc")),
                Arguments.of("$http_accept_encoding", "gzip", Map.of("http.request.header.accept-encoding", "gzip")),
                Arguments.of("$http_host", "shop.example:8443", Map.of("url.domain", "shop.example", "url.port", 8443L)),
                Arguments.of("$sent_http_content_type", "application/json",
                        Map.of("http.response.mime_type", "application/json")),
                Arguments.of("$sent_http_x_cache", "HIT", Map.of("http.response.header.x-cache", "HIT")),
                Arguments.of("$host", "example.com", Map.of("url.domain", "example.com")),
                Arguments.of("$server_name", "_", Map.of("destination.domain", "_")),
                Arguments.of("$server_port", "443", Map.of("server.port", 443L)),
                Arguments.of("$server_addr", "10.1.2.3", Map.of("server.ip", "10.1.2.3")),
                Arguments.of("$scheme", "https", Map.of("url.scheme", "https")),
                Arguments.of("$connection", "12345", Map.of("nginx.connection", 12345L)),
                Arguments.of("$connection_requests", "3", Map.of("nginx.connection_requests", 3L)),
                Arguments.of("$pid", "77", Map.of("process.pid", 77L)),
                Arguments.of("$hostname", "web-1", Map.of("host.hostname", "web-1")),
                Arguments.of("$request_id", "f00d", Map.of("http.request.id", "f00d")),
                Arguments.of("$ssl_protocol", "TLSv1.3", Map.of("tls.version", "1.3", "tls.version_protocol", "tls")),
                Arguments.of("$ssl_cipher", "TLS_AES_128_GCM_SHA256", Map.of("tls.cipher", "TLS_AES_128_GCM_SHA256")),
                Arguments.of("$content_type", "text/plain", Map.of("http.request.mime_type", "text/plain")),
                Arguments.of("$content_length", "12", Map.of("http.request.body.bytes", 12L)),
                Arguments.of("$upstream_addr", "10.0.0.5:8080", Map.of("nginx.upstream_addr", "10.0.0.5:8080")),
                Arguments.of("$upstream_cache_status", "MISS", Map.of("nginx.upstream_cache_status", "MISS")),
                Arguments.of("$geoip_country_code", "NL", Map.of("nginx.geoip_country_code", "NL")),
                Arguments.of("${status}", "200", Map.of("http.response.status_code", 200L)));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("variables")
    void eachVariableLandsInItsField(String variable, String value, Map<String, Object> expected) throws Exception {
        Map<String, Object> d = doc("nginx:<" + variable + "> end", "<" + value + "> end");
        assertThat(d).containsAllEntriesOf(expected);
        assertThat(Parsers.forFormat("nginx:<" + variable + "> end").dataset()).isEqualTo("nginx.access");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"$upstream_response_time", "$http_referer", "$remote_user", "$foo_bar", "$status",
        "$request_time", "$body_bytes_sent"})
    void aDashIsAbsent(String variable) throws Exception {
        assertThat(doc("nginx:<" + variable + "> end", "<-> end").keySet()).containsOnly("message");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "nginx_combined"})
    void combinedPresets(String preset) throws Exception {
        Map<String, Object> d = doc(preset, "203.0.113.7 - - [17/May/2015:10:05:03 +0000] \"GET /index.html HTTP/1.1\""
                + " 200 612 \"-\" \"Mozilla/5.0 (X11; Linux x86_64)\"");
        assertThat(d).contains(entry("source.ip", "203.0.113.7"), entry("@timestamp", T_ISO),
                entry("url.path", "/index.html"), entry("http.response.status_code", 200L),
                entry("http.response.body.bytes", 612L), entry("user_agent.original", "Mozilla/5.0 (X11; Linux x86_64)"));
        assertThat(d).doesNotContainKeys("http.request.referrer", "user.name");
        assertThat(Parsers.forFormat(preset).dataset()).isEqualTo("nginx.access");
    }

    @Test
    void mainPresetHasForwardedFor() throws Exception {
        Map<String, Object> d = doc("main", "10.0.0.9 - alice [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 304 0"
                + " \"https://example.com/\" \"curl/8\" \"198.51.100.23, 10.0.0.1\"");
        // The peer is a proxy: the client, first public address of the chain, is the source.
        assertThat(d).contains(entry("source.ip", "198.51.100.23"), entry("user.name", "alice"),
                entry("client.ip", "198.51.100.23"), entry("http.request.referrer", "https://example.com/"),
                entry("network.forwarded_ip", java.util.List.of("198.51.100.23", "10.0.0.1", "10.0.0.9")));
    }

    @Test
    void logFormatDirectiveAsInNginxConf() throws Exception {
        String conf = "log_format timed '$remote_addr [$time_local] '\n"
                + "                 '\"$request\" $status $request_time $upstream_response_time';";
        Map<String, Object> d = doc("nginx:" + conf, "1.2.3.4 [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 0.250 0.245");
        assertThat(d).contains(entry("event.duration", 250_000_000L), entry("nginx.upstream_response_time", 0.245));
        assertThat(doc("nginx:'$remote_addr' ' $status'", "1.2.3.4 200")).containsEntry("http.response.status_code", 200L);
    }

    @Test
    void escapeJsonFormat() throws Exception {
        String spec = "nginx:log_format j escape=json '{\"ip\":\"$remote_addr\",\"t\":\"$time_iso8601\","
                + "\"ua\":\"$http_user_agent\",\"s\":$status}';";
        Map<String, Object> d = doc(spec, "{\"ip\":\"1.2.3.4\",\"t\":\"2015-05-17T10:05:03+00:00\","
                + "\"ua\":\"say \\\"hi\\\" \\u00e9\",\"s\":200}");
        assertThat(d).contains(entry("source.ip", "1.2.3.4"), entry("@timestamp", T_ISO),
                entry("user_agent.original", "say \"hi\" é"), entry("http.response.status_code", 200L));
    }

    @Test
    void defaultEscapesAreDecoded() throws Exception {
        Map<String, Object> d = doc("nginx", "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /caf\\xC3\\xA9 HTTP/1.1\""
                + " 200 1 \"-\" \"a \\x22quoted\\x22 agent\"");
        assertThat(d).containsEntry("url.original", "/café").containsEntry("user_agent.original", "a \"quoted\" agent");
    }

    @Test
    void unknownVariablesAreKeptUnderNginx() throws Exception {
        assertThat(doc("nginx:$remote_addr $my_custom_var $cookie_session", "1.2.3.4 x y"))
                .containsEntry("nginx.my_custom_var", "x").containsEntry("nginx.cookie_session", "y");
    }

    @Test
    void badFormatsAreRefused() {
        assertThatThrownBy(() -> Parsers.compileUncached("nginx:'$remote_addr")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("never closed");
        assertThatThrownBy(() -> Parsers.compileUncached("nginx:${remote_addr")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Parsers.compileUncached("nginx:${a b}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Parsers.compileUncached("nginx:no variables")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no $variable");
        assertThatThrownBy(() -> Parsers.compileUncached("nginx:'$a' junk '$b'")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside quotes");
    }

    @Test
    void aLineEndingBeforeItsFormatDoesNotKeepTheClosingQuote() throws Exception {
        // Issue 12, fix 5: Filebeat's nginx fixture writes combined lines; read as main, the agent kept its quote.
        Map<String, Object> d = doc("main", "85.181.35.98 - - [07/Dec/2016:11:05:07 +0100] \"GET /ocelot HTTP/1.1\" 200 571"
                + " \"-\" \"Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0\"");
        assertThat(d).containsEntry("user_agent.original",
                "Mozilla/5.0 (Macintosh; Intel Mac OS X 10.12; rv:49.0) Gecko/20100101 Firefox/49.0")
                .containsEntry("caravan.incomplete", true);
        // And in combined, a line cut after the referrer: the referrer was '-"'.
        assertThat(doc("combined", "127.0.0.1 - - [02/Feb/2019:05:38:45 +0100] \"GET / HTTP/1.1\" 200 491 \"-\""))
                .doesNotContainKey("http.request.referrer").containsEntry("http.response.body.bytes", 491L);
        assertThat(doc("combined", "127.0.0.1 - - [02/Feb/2019:05:38:45 +0100] \"GET / HTTP/1.1\" 200 491 \"http://a/\""))
                .containsEntry("http.request.referrer", "http://a/");
        // A value cut with no closing quote keeps what it has.
        assertThat(doc("combined", "127.0.0.1 - - [02/Feb/2019:05:38:45 +0100] \"GET / HTTP/1.1\" 200 491 \"http://a/"))
                .containsEntry("http.request.referrer", "http://a/");
    }

    @Test
    void rawFormatStartingWithADoubleQuoteIsAccepted() throws Exception {
        // Issue 12, fix 6: this shape said "text outside quotes at position 24".
        Map<String, Object> d = doc("nginx:\"$http_x_forwarded_for\" $remote_addr - $remote_user [$time_local]"
                        + " \"$request\" $status",
                "\"203.0.113.9\" 10.0.0.1 - - [25/Oct/2016:14:49:34 +0000] \"GET / HTTP/1.1\" 200");
        assertThat(d).containsEntry("http.response.status_code", 200L)
                .containsEntry("http.request.header.x-forwarded-for", "203.0.113.9");
        // As nginx.conf writes it, the same format still reads as quoted strings.
        assertThat(doc("nginx:'\"$http_x_forwarded_for\" $remote_addr [$time_local] $status'",
                "\"-\" 10.0.0.1 [25/Oct/2016:14:49:34 +0000] 404")).containsEntry("http.response.status_code", 404L);
    }

    @Test
    void lonelyDollarIsLiteral() throws Exception {
        assertThat(doc("nginx:$ $status", "$ 200")).containsEntry("http.response.status_code", 200L);
    }

    /** Filebeat's nginx/access/test/test.log line 6: the path's extension and the client in related.ip. */
    @Test
    void urlExtensionAndRelatedIpFromTheFilebeatFixture() throws Exception {
        Map<String, Object> d = doc("main", "2a02:cf40:10ff:f00f:0000:0000:0:8000, 10.225.192.17 10.2.2.121 - -"
                + " [30/Dec/2016:06:47:09 +0000] \"GET /test.html HTTP/1.1\" 404 8571 \"-\" \"Mozilla/5.0 (compatible;"
                + " Facebot 1.0; https://developers.facebook.com/docs/sharing/webmasters/crawler)\"");
        assertThat(d).contains(entry("url.extension", "html"), entry("source.ip", "2a02:cf40:10ff:f00f:0000:0000:0:8000"),
                entry("related.ip", java.util.List.of("2a02:cf40:10ff:f00f:0000:0000:0:8000")));
        assertThat(doc("main", "1.2.3.4 - - [30/Dec/2016:06:47:09 +0000] \"GET /a.b/c HTTP/1.1\" 200 1 \"-\" \"-\""))
                .doesNotContainKey("url.extension");
        assertThat(doc("main", "1.2.3.4 - - [30/Dec/2016:06:47:09 +0000] \"GET /x.tar.gz?a=b.c HTTP/1.1\" 200 1 \"-\" \"-\""))
                .containsEntry("url.extension", "gz");
    }

    /** Filebeat's nginx/access/test/test-with-host.log line 6: a Host given as an address is one of related.ip. */
    @Test
    void hostAddressIsRelated() throws Exception {
        Map<String, Object> d = doc("nginx:$http_host " + NginxLogFormat.MAIN, "1.2.3.4 2a03:0000:10ff:f00f:0000:0000:0:8000,"
                + " 10.225.192.17 10.2.2.121 - - [30/Dec/2016:06:47:09 +0000] \"GET /test.html HTTP/1.1\" 404 8571 \"-\" \"x\"");
        assertThat(d).containsEntry("related.ip", java.util.List.of("2a03:0000:10ff:f00f:0000:0000:0:8000", "1.2.3.4"))
                .containsEntry("url.domain", "1.2.3.4");
    }

    /** Filebeat's nginx/access/test/test.log line 10: a list of names has no address; its leftmost name is the source. */
    @Test
    void listOfNamesGivesTheLeftmostName() throws Exception {
        Map<String, Object> d = doc("main", "localhost, localhost - - [29/May/2017:19:02:48 +0000] \"GET /test2 HTTP/1.1\""
                + " 200 612 \"-\" \"Mozilla/5.0 (Windows NT 6.1; rv:15.0) Gecko/20120716 Firefox/15.0a2\" \"-\"");
        assertThat(d).containsEntry("source.domain", "localhost").doesNotContainKeys("source.ip",
                "network.forwarded_ip", "source.address", "related.ip");
    }
}
