package caravan.parse;

import static caravan.parse.Docs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 12, fix 7: the nginx error log, with the lines of Filebeat's nginx error fixture. */
class NginxErrorLogParserTest {
    private static final String FAVICON = "2016/10/25 14:49:34 [error] 54053#0: *1 open() \"/usr/local/Cellar/nginx/1.10.2_1/html/favicon.ico\""
            + " failed (2: No such file or directory), client: 127.0.0.1, server: localhost, request: \"GET /favicon.ico HTTP/1.1\","
            + " host: \"localhost:8080\", referrer: \"http://localhost:8080/\"";

    @Test
    void readsTheFieldsFilebeatReads() throws Exception {
        Map<String, Object> d = doc("nginx_error", FAVICON);
        assertThat(d).containsEntry("@timestamp", "2016-10-25T14:49:34.000Z").containsEntry("log.level", "error")
                .containsEntry("process.pid", 54053L).containsEntry("process.thread.id", 0L)
                .containsEntry("nginx.error.connection_id", 1L)
                .containsEntry("message", FAVICON.substring(FAVICON.indexOf("open()")));
        assertThat(Parsers.forFormat("nginx_error").dataset()).isEqualTo("nginx.error");
    }

    @Test
    void readsTheContextNginxAppends() throws Exception {
        Map<String, Object> d = doc("nginx_error", FAVICON);
        assertThat(d).containsEntry("source.ip", "127.0.0.1").containsEntry("destination.domain", "localhost")
                .containsEntry("http.request.method", "GET").containsEntry("url.original", "/favicon.ico")
                .containsEntry("http.version", "1.1").containsEntry("url.domain", "localhost")
                .containsEntry("url.port", 8080L).containsEntry("http.request.referrer", "http://localhost:8080/");
    }

    @Test
    void aLineWithoutConnectionOrContextKeepsItsMessage() throws Exception {
        Map<String, Object> d = doc("nginx_error[tz=Europe/Paris]",
                "2019/11/05 14:50:44 [notice] 1#1: signal process started");
        assertThat(d).containsEntry("@timestamp", "2019-11-05T13:50:44.000Z").containsEntry("log.level", "notice")
                .containsEntry("message", "signal process started").doesNotContainKey("nginx.error.connection_id");
    }

    @Test
    void aQuotedValueMayHoldCommasAndQuotes() throws Exception {
        Map<String, Object> d = doc("nginx_error", "2019/10/30 23:26:34 [error] 9#9: *5 upstream timed out, client: 2001:db8::1,"
                + " server: _, request: \"GET /a,\"b\" HTTP/1.1\", upstream: \"http://10.0.0.1:80/a\", host: \"x\"");
        assertThat(d).containsEntry("source.ip", "2001:db8::1").containsEntry("url.original", "/a,\"b\"")
                .containsEntry("nginx.error.upstream", "http://10.0.0.1:80/a").containsEntry("url.domain", "x");
    }

    @Test
    void otherLinesAreRefused() {
        assertThatThrownBy(() -> doc("nginx_error", "[Mon Aug 31 16:27:04 2015] [error] x")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> doc("nginx_error", "2016/10/25 14:49:34 [loud] 1#0: x")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> doc("nginx_error", "2016/13/25 14:49:34 [error] 1#0: x")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> doc("nginx_error", "2016/10/25")).isInstanceOf(ParseException.class);
    }
}
