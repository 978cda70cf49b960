package caravan.parse;

import static caravan.parse.Docs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AppLogParserTest {
    private static LineParser defaultOnly() {
        return new AppLogParser(List.of(), true, ZoneOffset.UTC, "app.log");
    }

    @Test
    void defaultPattern() throws Exception {
        Map<String, Object> d = doc(defaultOnly(), "2025-10-23 14:32:15 INFO [payment-service] Payment completed for order order_45231");
        assertThat(d).containsOnly(entry("@timestamp", "2025-10-23T14:32:15.000Z"), entry("log.level", "INFO"),
                entry("service.name", "payment-service"), entry("message", "Payment completed for order order_45231"));
        assertThat(Parsers.forFormat("app").dataset()).isEqualTo("app.log");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "2025-10-23T14:32:15.123Z WARN [svc] m|2025-10-23T14:32:15.123Z|WARN",
        "2025-10-23 14:32:15,123 error [svc] m|2025-10-23T14:32:15.123Z|error",
        "2025-10-23 16:32:15+02:00 DEBUG [svc] m|2025-10-23T14:32:15.000Z|DEBUG",
        "2025-10-23 14:32:15.5 -0100 FATAL [svc] m|2025-10-23T15:32:15.500Z|FATAL",
        "2025-10-23 14:32 WARNING [svc] m|2025-10-23T14:32:00.000Z|WARNING"})
    void defaultPatternTimeAndLevelVariants(String line, String ts, String level) throws Exception {
        assertThat(doc(defaultOnly(), line)).contains(entry("@timestamp", ts), entry("log.level", level),
                entry("message", "m"));
    }

    @Test
    void serviceIsOptionalAndMultilineMessagesAreKept() throws Exception {
        assertThat(doc(defaultOnly(), "2025-10-23 14:32:15 INFO started")).containsEntry("message", "started")
                .doesNotContainKey("service.name");
        String trace = "2025-10-23 14:32:15 ERROR [api] boom\njava.lang.IllegalStateException: x\n\tat a.b(C.java:1)";
        assertThat(doc(defaultOnly(), trace)).containsEntry("message",
                "boom\njava.lang.IllegalStateException: x\n\tat a.b(C.java:1)");
    }

    @Test
    void zoneIsConfigurableAndDefaultsToUtc() throws Exception {
        assertThat(doc("app[tz=America/New_York]", "2025-01-15 09:00:00 INFO [s] m"))
                .containsEntry("@timestamp", "2025-01-15T14:00:00.000Z");
        assertThat(doc("app[tz=America/New_York]", "2025-07-15 09:00:00 INFO [s] m"))
                .containsEntry("@timestamp", "2025-07-15T13:00:00.000Z");
        assertThat(doc("app:default", "2025-07-15 09:00:00 INFO [s] m")).containsEntry("@timestamp", "2025-07-15T09:00:00.000Z");
    }

    @Test
    void linesThatAreNotTheDefaultShape() {
        assertThatThrownBy(() -> doc(defaultOnly(), "Payment completed")).isInstanceOf(ParseException.class)
                .satisfies(x -> assertThat(((ParseException) x).position()).isZero());
        assertThatThrownBy(() -> doc(defaultOnly(), "2025-10-23 14:32:15 Starting the server"))
                .isInstanceOf(ParseException.class).satisfies(x -> assertThat(((ParseException) x).position()).isEqualTo(20));
        assertThatThrownBy(() -> doc(defaultOnly(), "2025-13-23 14:32:15 INFO x")).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> doc(defaultOnly(), "")).isInstanceOf(ParseException.class);
    }

    @Test
    void userPatternsFromTheFileThenTheDefault() throws Exception {
        String spec = "app[patterns=src/test/resources/parse/patterns.yaml]";
        Map<String, Object> pay = doc(spec, "2025-10-23 14:32:15 INFO [payment-service] Payment completed for order"
                + " order_45231 amount=19.99 items=3");
        assertThat(pay).contains(entry("@timestamp", "2025-10-23T14:32:15.000Z"), entry("log.level", "INFO"),
                entry("service.name", "payment-service"), entry("labels.order_id", "order_45231"),
                entry("labels.amount", 19.99), entry("labels.items", 3L), entry("caravan.pattern", "payment"));
        // No message captured: the message is the line.
        assertThat((String) pay.get("message")).startsWith("2025-10-23 14:32:15 INFO");

        Map<String, Object> legacy = doc(spec, "23/10/2025 16:32:15 | WARN | alice | disk almost full");
        assertThat(legacy).contains(entry("@timestamp", "2025-10-23T14:32:15.000Z"), entry("user.name", "alice"),
                entry("message", "disk almost full"), entry("caravan.pattern", "legacy"));

        Map<String, Object> raw = doc(spec, "2025-10-23T14:32:15Z pid=42 trace=abc123 10.1.2.3 hello world");
        assertThat(raw).contains(entry("process.pid", 42L), entry("trace.id", "abc123"), entry("labels.client", "10.1.2.3"),
                entry("message", "hello world"), entry("@timestamp", "2025-10-23T14:32:15.000Z"));

        assertThat(doc(spec, "2025-10-23 14:32:15 INFO [other] Something else")).containsEntry("service.name", "other")
                .doesNotContainKey("caravan.pattern");
    }

    @Test
    void onePatternByName() throws Exception {
        String spec = "app[patterns=src/test/resources/parse/patterns.yaml]:legacy";
        assertThat(doc(spec, "23/10/2025 16:32:15 | WARN | alice | m")).containsEntry("caravan.pattern", "legacy");
        assertThatThrownBy(() -> doc(spec, "2025-10-23 14:32:15 INFO [x] y")).isInstanceOf(ParseException.class)
                .hasMessageContaining("legacy");
        assertThatThrownBy(() -> Parsers.compileUncached("app[patterns=src/test/resources/parse/patterns.yaml]:nope"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope");
    }

    @Test
    void typedCapturesThatDoNotReadAreNamed() throws Exception {
        AppPattern p = AppPattern.compile("t", "%{n:int} %{ip:ip} %{timestamp}", ZoneOffset.UTC, null);
        LineParser parser = new AppLogParser(List.of(p), false, ZoneOffset.UTC, "app.log");
        Map<String, Object> d = doc(parser, "99999999999999999999 1.2.3 2025-02-30 10:00:00");
        assertThat(d).doesNotContainKeys("labels.n", "labels.ip", "@timestamp");
        assertThat(d.get("caravan.invalid_fields")).isEqualTo(List.of("labels.n", "labels.ip", "@timestamp"));
    }

    @Test
    void patternSyntaxErrorsAreRefused() {
        assertThatThrownBy(() -> AppPattern.compile("t", "%{x:nosuchtype}", ZoneOffset.UTC, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nosuchtype");
        assertThatThrownBy(() -> AppPattern.compile("t", "%{bad name}", ZoneOffset.UTC, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("field name");
        assertThatThrownBy(() -> AppPattern.compile("t", "(unclosed %{x}", ZoneOffset.UTC, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RE2");
        assertThatThrownBy(() -> AppPattern.compile("t", "no captures", ZoneOffset.UTC, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("captures nothing");
        assertThatThrownBy(() -> AppPattern.compile("t", "%{x", ZoneOffset.UTC, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never closed");
        // RE2 has no backreferences or lookaround: what could make matching slow is refused up front.
        assertThatThrownBy(() -> AppPattern.compile("t", "(?P<a>x)\\1", ZoneOffset.UTC, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AppPattern.compile("t", "(?=x)%{a}", ZoneOffset.UTC, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void patternsThatWouldCompileToHugeProgramsAreRefused() {
        // RE2/J bounds matching time, not compile size: this one would exhaust the heap.
        assertThatThrownBy(() -> AppPattern.compile("t", "%{x}((a{1000}){1000}){1000}", ZoneOffset.UTC, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
        assertThatThrownBy(() -> AppPattern.compile("t", "%{x}(a{1000}){1000}", ZoneOffset.UTC, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too large");
        assertThat(AppPattern.compile("t", "%{x} \\d{4}-\\d{2} [a-z]{1,64} (?:ab){10}", ZoneOffset.UTC, null)).isNotNull();
        assertThatThrownBy(() -> AppPattern.compile("t", "%{a.b.c.d.e.f.g.h.i.j}", ZoneOffset.UTC, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AppPattern.compile("t", "(?P<a__b__c__d__e__f__g__h__i__j>x)", ZoneOffset.UTC, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void catastrophicPatternsForBacktrackingEnginesStayFast() throws Exception {
        // (a+)+$ against "aaaa…b" takes exponential time in java.util.regex; RE2/J is linear.
        AppPattern p = AppPattern.compile("evil", "(?P<x>(a+)+)$", ZoneOffset.UTC, null);
        LineParser parser = new AppLogParser(List.of(p), false, ZoneOffset.UTC, "app.log");
        assertThatThrownBy(() -> doc(parser, "a".repeat(5_000) + "b")).isInstanceOf(ParseException.class);
    }
}
