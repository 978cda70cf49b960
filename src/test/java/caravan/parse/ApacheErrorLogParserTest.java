package caravan.parse;

import static caravan.parse.Docs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApacheErrorLogParserTest {

    @Test
    void apache24LineWithEverything() throws Exception {
        Map<String, Object> d = doc("apache_error", "[Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 1234:tid 5678]"
                + " [client 1.2.3.4:5678] AH00123: File does not exist: /var/www/favicon.ico");
        assertThat(d).contains(entry("@timestamp", "2000-10-11T14:32:52.123Z"), entry("log.level", "error"),
                entry("apache.error.module", "core"), entry("process.pid", 1234L), entry("process.thread.id", 5678L),
                entry("source.ip", "1.2.3.4"), entry("source.port", 5678L), entry("error.code", "AH00123"),
                entry("message", "File does not exist: /var/www/favicon.ico"));
        assertThat(Parsers.forFormat("apache_error").dataset()).isEqualTo("apache.error");
    }

    @Test
    void apache22Line() throws Exception {
        Map<String, Object> d = doc("apache_error", "[Wed Oct 11 14:32:52 2000] [error] [client 127.0.0.1]"
                + " client denied by server configuration: /export/home/live/ap/htdocs/test");
        assertThat(d).contains(entry("@timestamp", "2000-10-11T14:32:52.000Z"), entry("log.level", "error"),
                entry("source.ip", "127.0.0.1"),
                entry("message", "client denied by server configuration: /export/home/live/ap/htdocs/test"));
        assertThat(d).doesNotContainKeys("apache.error.module", "source.port", "error.code");
    }

    @Test
    void serverMessageWithoutClient() throws Exception {
        Map<String, Object> d = doc("apache_error", "[Sun Nov 24 04:05:06.789012 2024] [mpm_event:notice] [pid 1:tid 140]"
                + " AH00489: Apache/2.4.62 (Unix) configured -- resuming normal operations");
        assertThat(d).contains(entry("log.level", "notice"), entry("apache.error.module", "mpm_event"),
                entry("error.code", "AH00489"), entry("message", "Apache/2.4.62 (Unix) configured -- resuming normal operations"));
        assertThat(d).doesNotContainKey("source.ip");
    }

    @Test
    void osErrorRefererAndIpv6Client() throws Exception {
        Map<String, Object> d = doc("apache_error", "[Thu May 12 08:28:57.652118 2016] [proxy_fcgi:error] [pid 8:tid 9]"
                + " (70007)The timeout specified has expired: [client 2001:db8::7:51234] AH01075: Error dispatching"
                + " request to : , referer: http://example.com/page");
        assertThat(d).contains(entry("apache.error.os_error", "(70007)The timeout specified has expired"),
                entry("source.ip", "2001:db8::7"), entry("source.port", 51234L), entry("error.code", "AH01075"),
                entry("http.request.referrer", "http://example.com/page"),
                entry("message", "Error dispatching request to : , referer: http://example.com/page")); // as httpd wrote it
    }

    /** Logstash's httpd spec, "a full httpd 2.4 message": a proxy module's APR status, named as Logstash names it. */
    @Test
    void proxyModuleStatusIsTheProxyError() throws Exception {
        Map<String, Object> d = doc("apache_error", "[Mon Aug 31 09:30:48.958285 2015] [proxy_fcgi:error] [pid 28787:tid"
                + " 140169587934976] (70008)Partial results are valid but processing is incomplete: [client"
                + " 58.13.45.166:59307] AH01075: Error dispatching request to : (reading input brigade)");
        assertThat(d).contains(entry("apache.error.proxy.error.code", "70008"),
                entry("apache.error.proxy.error.message", "Partial results are valid but processing is incomplete"),
                entry("apache.error.os_error", "(70008)Partial results are valid but processing is incomplete"));
        Map<String, Object> core = doc("apache_error", "[Mon Aug 31 09:30:48.958285 2015] [core:error] [pid 1]"
                + " (13)Permission denied: [client 10.0.0.1:1] AH00035: access denied");
        assertThat(core).containsEntry("apache.error.os_error", "(13)Permission denied")
                .doesNotContainKey("apache.error.proxy.error.code");
    }

    /** Filebeat's apache/error/test/ubuntu-2.2.22.log line 2: both peers keep the referer in the message. */
    @Test
    void refererStaysInTheMessageAndIsRead() throws Exception {
        Map<String, Object> d = doc("apache_error", "[Mon Dec 26 16:22:00 2016] [error] [client 192.168.33.1] File does"
                + " not exist: /var/www/favicon.ico, referer: http://192.168.33.72/");
        assertThat(d).contains(entry("message", "File does not exist: /var/www/favicon.ico, referer: http://192.168.33.72/"),
                entry("http.request.referrer", "http://192.168.33.72/"), entry("file.path", "/var/www/favicon.ico"),
                entry("source.ip", "192.168.33.1"), entry("log.level", "error"));
    }

    @Test
    void debugSourceLocation() throws Exception {
        Map<String, Object> d = doc("apache_error", "[Fri Sep 09 10:42:29.902022 2011] [core:debug] [pid 35708:tid 4328636416]"
                + " util.c(1234): [client 10.0.0.1:1234] AH00001: something");
        assertThat(d).contains(entry("log.origin.file.name", "util.c"), entry("log.origin.file.line", 1234L),
                entry("source.ip", "10.0.0.1"), entry("message", "something"), entry("log.level", "debug"));
    }

    @Test
    void zoneIsConfigurable() throws Exception {
        assertThat(doc("apache_error[tz=Europe/Paris]", "[Wed Oct 11 14:32:52 2000] [error] boom"))
                .containsEntry("@timestamp", "2000-10-11T12:32:52.000Z").containsEntry("message", "boom");
    }

    @Test
    void spacePaddedDayAndCompactIsoTime() throws Exception {
        assertThat(doc("apache_error", "[Mon Jan  3 01:02:03 2022] [warn] w")).containsEntry("@timestamp",
                "2022-01-03T01:02:03.000Z");
        assertThat(doc("apache_error", "[2022-01-03 01:02:03.500000] [ssl:warn] w")).containsEntry("@timestamp",
                "2022-01-03T01:02:03.500Z").containsEntry("apache.error.module", "ssl");
    }

    @Test
    void bracketsInTheMessageStayInIt() throws Exception {
        assertThat(doc("apache_error", "[Wed Oct 11 14:32:52 2000] [error] [some] text"))
                .containsEntry("message", "[some] text");
        assertThat(doc("apache_error", "[Wed Oct 11 14:32:52 2000] [php:error] [pid 3] [client 1.1.1.1:1] PHP Fatal error:  x [in] y"))
                .containsEntry("message", "PHP Fatal error:  x [in] y");
    }

    @Test
    void notAnErrorLogLine() {
        assertThatThrownBy(() -> doc("apache_error", "Wed Oct 11 14:32:52 2000 error")).isInstanceOf(ParseException.class)
                .satisfies(x -> assertThat(((ParseException) x).position()).isZero());
        assertThatThrownBy(() -> doc("apache_error", "[not a time] [error] x")).isInstanceOf(ParseException.class)
                .satisfies(x -> assertThat(((ParseException) x).position()).isEqualTo(1));
        assertThatThrownBy(() -> doc("apache_error", "[Wed Oct 11 14:32:52 2000")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> doc("apache_error", "")).isInstanceOf(ParseException.class);
    }
}
