package caravan.parse;

import static caravan.parse.Docs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Real traffic that is not a well-formed request still produces a document with what can be read. */
class HostileLinesTest {
    private static final String PREFIX = "192.0.2.10 - - [17/May/2015:10:05:03 +0000] ";

    @ParameterizedTest
    @ValueSource(strings = {"combined", "nginx"})
    void requestLineOfADashFrom408(String format) throws Exception {
        Map<String, Object> d = doc(format, PREFIX + "\"-\" 408 0 \"-\" \"-\"");
        assertThat(d).contains(entry("http.response.status_code", 408L), entry("source.ip", "192.0.2.10"),
                entry("http.response.body.bytes", 0L), entry("@timestamp", "2015-05-17T10:05:03.000Z"));
        assertThat(d).doesNotContainKeys("http.request.method", "url.original", "caravan.request.invalid");
    }

    @Test
    void tlsHandshakeSentToThePlainPortApacheStyle() throws Exception {
        String tls = "\\x16\\x03\\x01\\x02\\x00\\x01\\x00\\x01\\xfc\\x03\\x03\\xa1\\xb2";
        Map<String, Object> d = doc("combined", PREFIX + "\"" + tls + "\" 400 226 \"-\" \"-\"");
        assertThat(d).contains(entry("http.response.status_code", 400L), entry("http.response.body.bytes", 226L));
        assertThat(d).doesNotContainKeys("http.request.method", "url.original");
        // Not valid UTF-8: kept in its escaped, readable form rather than as replacement characters.
        assertThat(d.get("caravan.request.invalid")).isEqualTo(tls);
    }

    @Test
    void tlsHandshakeNginxStyle() throws Exception {
        String tls = "\\x16\\x03\\x01\\x00\\xCA\\x01\\x00\\x00\\xC6\\x03\\x03";
        Map<String, Object> d = doc("nginx", PREFIX + "\"" + tls + "\" 400 157 \"-\" \"-\"");
        assertThat(d).containsEntry("http.response.status_code", 400L).containsEntry("caravan.request.invalid", tls);
    }

    @Test
    void garbageRequestsKeepWhatCanBeRead() throws Exception {
        assertThat(doc("combined", PREFIX + "\"GET\" 400 0 \"-\" \"-\""))
                .containsEntry("caravan.request.invalid", "GET").doesNotContainKey("http.request.method");
        assertThat(doc("combined", PREFIX + "\"GET /only-a-path\" 200 0 \"-\" \"-\""))
                .containsEntry("http.request.method", "GET").containsEntry("url.path", "/only-a-path")
                .doesNotContainKey("http.version");
        assertThat(doc("combined", PREFIX + "\"<\\x00>{} /x HTTP/1.1\" 400 0 \"-\" \"-\""))
                .containsKey("caravan.request.invalid").doesNotContainKey("http.request.method");
        assertThat(doc("combined", PREFIX + "\"\" 400 0 \"-\" \"-\""))
                .containsEntry("http.response.status_code", 400L).doesNotContainKey("caravan.request.invalid");
        assertThat(doc("combined", PREFIX + "\"GET /a?b=c?d HTTP/1.1 extra\" 400 0 \"-\" \"-\""))
                .containsEntry("http.request.method", "GET").containsEntry("url.path", "/a");
    }

    @Test
    void absurdlyLongLineKeepsItsFields() throws Exception {
        String path = "/" + "A".repeat(200_000);
        String ua = "x".repeat(100_000);
        String line = PREFIX + "\"GET " + path + "?q=1 HTTP/1.1\" 414 0 \"-\" \"" + ua + "\"";
        Map<String, Object> d = doc("combined", line);
        assertThat(d).contains(entry("http.response.status_code", 414L), entry("http.request.method", "GET"),
                entry("http.version", "1.1"), entry("source.ip", "192.0.2.10"), entry("caravan.truncated", true));
        // Values are cut to stay under Elasticsearch's keyword term limit; the raw line is whole.
        assertThat((String) d.get("url.original")).hasSize(Http.MAX_FIELD).startsWith("/AAAA");
        assertThat((String) d.get("user_agent.original")).hasSize(Http.MAX_FIELD);
        assertThat((String) d.get("message")).isEqualTo(line);
    }

    @Test
    void lineCutShortInsideItsLastField() throws Exception {
        Map<String, Object> d = doc("combined", PREFIX + "\"GET / HTTP/1.1\" 200 235 \"-\" \"Mozilla/5.0 (compatible;");
        assertThat(d).contains(entry("http.response.status_code", 200L), entry("caravan.incomplete", true),
                entry("user_agent.original", "Mozilla/5.0 (compatible;"));
    }

    @Test
    void lineCutShortAfterTheTime() throws Exception {
        Map<String, Object> d = doc("combined", PREFIX + "\"GET /long/path/cut-he");
        assertThat(d).contains(entry("http.request.method", "GET"), entry("url.path", "/long/path/cut-he"),
                entry("caravan.incomplete", true));
        assertThat(d).doesNotContainKey("http.response.status_code");
        assertThat(doc("combined", PREFIX + "\"GET / HTTP/1.1\" 200 1"))
                .containsEntry("caravan.incomplete", true).containsEntry("http.response.body.bytes", 1L);
    }

    @Test
    void lineCutShortBeforeTheTimeFails() {
        assertThatThrownBy(() -> doc("combined", "192.0.2.10 - - [17/May/2015:10:0")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> doc("combined", "192.0.2.10 - -")).isInstanceOf(ParseException.class);
    }

    @Test
    void controlCharactersAndNonAsciiInValues() throws Exception {
        Map<String, Object> d = doc("combined", PREFIX + "\"GET /\\n\\t HTTP/1.1\" 200 1 \"-\" \"UA \u00e9\u4e2d\ud83d\ude00\"");
        assertThat(d).containsEntry("url.original", "/\n\t").containsEntry("user_agent.original", "UA é中😀");
    }

    @Test
    void crlfLineEndingIsIgnored() throws Exception {
        assertThat(doc("combined", PREFIX + "\"GET / HTTP/1.1\" 200 1 \"-\" \"ua\"\r\n"))
                .containsEntry("user_agent.original", "ua").doesNotContainKey("caravan.incomplete");
    }

    @Test
    void longRunsOfEscapedQuotesAndBackslashes() throws Exception {
        // Escaped quotes never end a quoted value, however many there are (the scan stays linear).
        String junk = "\\\\\\\"".repeat(50_000);
        Map<String, Object> d = doc("combined", PREFIX + "\"" + junk + "\" 400 0 \"-\" \"-\"");
        assertThat(d).containsEntry("http.response.status_code", 400L).containsEntry("caravan.truncated", true);
    }
}
