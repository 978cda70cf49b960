package caravan.parse;

import static caravan.parse.Docs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.event.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ParsersTest {
    private static final String COMBINED_LINE = "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"ua\"";

    @AfterEach
    void forgetNames() {
        Parsers.resetForTests();
    }

    @ParameterizedTest
    @CsvSource({"common,apache.access", "combined,apache.access", "vhost_combined,apache.access", "referer,apache.access",
        "agent,apache.access", "nginx,nginx.access", "nginx_combined,nginx.access", "main,nginx.access",
        "apache_error,apache.error", "app,app.log", "json,app.json"})
    void everyPresetCompilesWithItsDataset(String spec, String dataset) {
        assertThat(Parsers.forFormat(spec).dataset()).isEqualTo(dataset);
    }

    @Test
    void parsersAreCachedAndShared() {
        assertThat(Parsers.forFormat("combined")).isSameAs(Parsers.forFormat("combined"));
        assertThat(Parsers.forFormat("apache:%h %s")).isSameAs(Parsers.forFormat("apache:%h %s"));
    }

    @Test
    void optionsInBrackets() throws Exception {
        assertThat(Parsers.forFormat("combined[dataset=shop.access]").dataset()).isEqualTo("shop.access");
        assertThat(Parsers.forFormat("nginx[dataset=edge.access]:$remote_addr $status").dataset()).isEqualTo("edge.access");
        assertThat(doc("apache[tz=Europe/Berlin, dataset=x.y]:%{%Y-%m-%d %T}t %s", "2015-05-17 12:05:03 200"))
                .containsEntry("@timestamp", "2015-05-17T10:05:03.000Z");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nonsense|unknown format",
        "combined:%h|preset",
        "apache|LogFormat",
        "apache:|LogFormat",
        "combined[tz=Nowhere/City]|tz='Nowhere/City'",
        "combined[color=red]|no option 'color'",
        "combined[tz]|not key=value",
        "combined[tz=UTC|never closed",
        "json[depth=0]|depth='0'",
        "json[max=abc]|max='abc'",
        "json[into=a b]|into='a b'",
        "app[dataset=Bad Name]|dataset='Bad Name'",
        "combined!|unknown format",
        "app:nosuch|no application pattern named 'nosuch'",
        "app[patterns=/no/such/file.yaml]|/no/such/file.yaml"})
    void badSpecsNameTheSpecAndTheFix(String spec, String hint) {
        assertThatThrownBy(() -> Parsers.forFormat(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("format '" + spec + "'").hasMessageContaining(hint);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " "})
    void noSpec(String spec) {
        assertThatThrownBy(() -> Parsers.forFormat(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format=combined");
        assertThatThrownBy(() -> Parsers.forFormat(null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namedFormats() throws Exception {
        Parsers.define("shop", "apache:%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" %D");
        assertThat(doc("shop", COMBINED_LINE + " 1500")).containsEntry("event.duration", 1_500_000L);
        Parsers.define("shop", "combined"); // redefining replaces
        assertThat(doc("shop", COMBINED_LINE)).containsEntry("user_agent.original", "ua");
        Parsers.define("edge", "nginx:$remote_addr $status");
        assertThat(Parsers.forFormat("edge").dataset()).isEqualTo("nginx.access");
    }

    @Test
    void badNamedFormatsAreRefusedAtDefinition() {
        assertThatThrownBy(() -> Parsers.define("combined", "common")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("built-in");
        assertThatThrownBy(() -> Parsers.define("bad name", "common")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("caravan.formats");
        assertThatThrownBy(() -> Parsers.define("x", "apache:%Z")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("caravan.formats.x").hasMessageContaining("%Z");
        assertThatThrownBy(() -> Parsers.define("x", "")).isInstanceOf(IllegalArgumentException.class);
        Parsers.define("a", "common");
        assertThatThrownBy(() -> Parsers.define("b", "a")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("named format 'a'");
    }

    @Test
    void oneParserServesManyThreads() throws Exception {
        LineParser p = Parsers.forFormat("combined");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            lines.add("10.0.0." + (i % 250) + " - - [17/May/2015:10:05:03 +0000] \"GET /p" + i + " HTTP/1.1\" "
                    + (200 + i % 5) + " " + i + " \"-\" \"ua" + i + "\"");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    LogEvent e = new LogEvent();
                    int ok = 0;
                    for (int round = 0; round < 20; round++) {
                        for (int i = 0; i < lines.size(); i++) {
                            e.reset();
                            p.parse(lines.get(i), e);
                            if (e.urlPath.equals("/p" + i) && e.statusCode == 200 + i % 5 && e.bodyBytes == i
                                    && e.userAgent.equals("ua" + i)) {
                                ok++;
                            }
                        }
                    }
                    return ok;
                }));
            }
            for (Future<Integer> f : results) {
                assertThat(f.get()).isEqualTo(20 * lines.size());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void resetClearsEverythingAParserSets() throws Exception {
        LogEvent e = new LogEvent();
        Parsers.forFormat("apache:%h %u %t \"%r\" %>s %b %D \"%{Referer}i\" \"%{User-Agent}i\" %{X-Forwarded-For}i")
                .parse("1.2.3.4 u [17/May/2015:10:05:03 +0000] \"GET /a?b HTTP/1.1\" 200 1 5 \"r\" \"ua\" 5.6.7.8", e);
        e.logLevel = "x";
        e.reset();
        assertThat(Docs.flat(e)).isEmpty();
    }
}
