package caravan.parse;

import static caravan.parse.Docs.doc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonLogParserTest {

    @Test
    void wellKnownMembersGoToEcsAndTheRestUnderLabels() throws Exception {
        Map<String, Object> d = doc("json", "{\"timestamp\":\"2025-10-23T14:32:15.123Z\",\"level\":\"INFO\","
                + "\"service\":\"payment-service\",\"message\":\"Payment completed\",\"order_id\":\"order_45231\","
                + "\"amount\":19.99,\"items\":3,\"ok\":true,\"user\":{\"id\":7,\"roles\":[\"a\",\"b\"]},\"nothing\":null}");
        assertThat(d).containsOnly(entry("@timestamp", "2025-10-23T14:32:15.123Z"), entry("log.level", "INFO"),
                entry("service.name", "payment-service"), entry("message", "Payment completed"),
                entry("labels.order_id", "order_45231"), entry("labels.amount", 19.99), entry("labels.items", 3L),
                entry("labels.ok", true), entry("labels.user.id", 7L), entry("labels.user.roles", List.of("a", "b")));
        assertThat(Parsers.forFormat("json").dataset()).isEqualTo("app.json");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"@timestamp\":\"2025-10-23T14:32:15Z\"}|2025-10-23T14:32:15.000Z",
        "{\"time\":\"2025-10-23T16:32:15+02:00\"}|2025-10-23T14:32:15.000Z",
        "{\"ts\":1761229935.5}|2025-10-23T14:32:15.500Z",
        "{\"ts\":1761229935}|2025-10-23T14:32:15.000Z",
        "{\"time\":1761229935123}|2025-10-23T14:32:15.123Z",
        "{\"time\":1761229935123456}|2025-10-23T14:32:15.123Z",
        "{\"time\":1761229935123456789}|2025-10-23T14:32:15.123Z",
        "{\"timestamp\":\"2025-10-23 14:32:15,123\"}|2025-10-23T14:32:15.123Z"})
    void timestampsInTheirCommonShapes(String line, String iso) throws Exception {
        assertThat(doc("json", line)).containsEntry("@timestamp", iso);
    }

    @Test
    void timeWithoutOffsetUsesTheZone() throws Exception {
        assertThat(doc("json[tz=Asia/Tokyo]", "{\"time\":\"2025-10-23 23:32:15\"}")).containsEntry("@timestamp",
                "2025-10-23T14:32:15.000Z");
    }

    @Test
    void levelAliasesAndPinoNumbers() throws Exception {
        assertThat(doc("json", "{\"severity\":\"WARNING\"}")).containsEntry("log.level", "WARNING");
        assertThat(doc("json", "{\"level\":30,\"msg\":\"hi\"}")).containsEntry("log.level", "info").containsEntry("message", "hi");
        assertThat(doc("json", "{\"level\":50}")).containsEntry("log.level", "error");
        assertThat(doc("json", "{\"level\":35}")).containsEntry("log.level", "35");
        assertThat(doc("json", "{\"log\":{\"level\":\"debug\",\"logger\":\"a.B\"},\"service\":{\"name\":\"s\"}}"))
                .contains(entry("log.level", "debug"), entry("log.logger", "a.B"), entry("service.name", "s"));
        assertThat(doc("json", "{\"log.level\":\"warn\"}")).containsEntry("log.level", "warn");
    }

    @Test
    void unreadableTimestampIsKeptAsALabelAndNamed() throws Exception {
        Map<String, Object> d = doc("json", "{\"time\":\"yesterday\",\"msg\":\"x\"}");
        assertThat(d).doesNotContainKey("@timestamp").containsEntry("labels.time", "yesterday")
                .containsEntry("caravan.invalid_fields", List.of("@timestamp"));
    }

    @Test
    void intoAnotherObjectOrTheRoot() throws Exception {
        assertThat(doc("json[into=app]", "{\"a\":1,\"msg\":\"m\"}")).containsEntry("app.a", 1L).containsEntry("message", "m");
        assertThat(doc("json[into=]", "{\"trace\":{\"id\":\"abc\"},\"http.request.method\":\"GET\"}"))
                .containsEntry("trace.id", "abc").containsEntry("http.request.method", "GET");
    }

    @Test
    void arraysOfObjectsAndOddKeys() throws Exception {
        Map<String, Object> d = doc("json", "{\"items\":[{\"a\":1},[2,3],\"x\",null],\"\":1,\"a..b\":2,\"dot.\":3}");
        assertThat(d).containsEntry("labels.items", List.of("{\"a\":1}", "[2,3]", "x"))
                .containsEntry("labels._", 1L).containsEntry("labels.a._.b", 2L).containsEntry("labels.dot._", 3L);
    }

    @Test
    void numbersJsonCannotCarryBackOutAreKeptAsText() throws Exception {
        assertThat(doc("json", "{\"big\":1e999,\"huge\":123456789012345678901234567890}"))
                .containsEntry("labels.big", "1e999").containsEntry("labels.huge", "123456789012345678901234567890");
    }

    @Test
    void deepNestingIsTruncatedAndFlagged() throws Exception {
        String deep = "{\"a\":".repeat(20) + "1" + "}".repeat(20);
        Map<String, Object> d = doc("json", deep);
        assertThat(d).containsEntry("caravan.truncated", true);
        assertThat(d.keySet()).noneMatch(k -> k.startsWith("labels.a"));
        String nineteen = "{\"a\":".repeat(19) + "1" + "}".repeat(19);
        assertThat(doc("json[depth=32]", nineteen)).doesNotContainKey("caravan.truncated")
                .containsKey("labels" + ".a".repeat(19));
        // Twenty levels under labels would pass Elasticsearch's depth limit of 20, whatever depth= says.
        assertThat(doc("json[depth=32]", deep)).containsEntry("caravan.truncated", true);
        String shallow = "{\"a\":".repeat(15) + "1" + "}".repeat(15);
        assertThat(doc("json", shallow)).doesNotContainKey("caravan.truncated");
    }

    @Test
    void dottedKeysCountTowardsTheDepth() throws Exception {
        String many = "a" + ".a".repeat(40);
        Map<String, Object> d = doc("json", "{\"" + many + "\":1,\"" + many + ".b\":2,\"ok\":3}");
        assertThat(d).containsEntry("labels.ok", 3L).containsEntry("caravan.truncated", true);
        assertThat(d.keySet()).allMatch(k -> k.split("\\.").length <= 20);
    }

    @Test
    void absurdNestingAndSizeAreParseExceptions() {
        String tooDeep = "{\"a\":".repeat(300) + "1" + "}".repeat(300);
        assertThatThrownBy(() -> doc("json", tooDeep)).isInstanceOf(ParseException.class);
        String big = "{\"a\":\"" + "x".repeat(1 << 20) + "\"}";
        assertThatThrownBy(() -> doc("json", big)).isInstanceOf(ParseException.class).hasMessageContaining("limit");
        assertThat(catchParse(() -> doc("json[max=100]", "{\"a\":\"" + "x".repeat(200) + "\"}")).position()).isEqualTo(100);
    }

    @Test
    void tooManyMembersAreTruncated() throws Exception {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < 1500; i++) {
            b.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        Map<String, Object> d = doc("json", b.append('}').toString());
        assertThat(d).containsEntry("caravan.truncated", true).containsKey("labels.k999").doesNotContainKey("labels.k1000");
    }

    @Test
    void longStringsAreCut() throws Exception {
        Map<String, Object> d = doc("json", "{\"a\":\"" + "x".repeat(20_000) + "\"}");
        assertThat((String) d.get("labels.a")).hasSize(Http.MAX_FIELD);
        assertThat(d).containsEntry("caravan.truncated", true);
    }

    @Test
    void loneSurrogateEscapesBecomeReplacementCharacters() throws Exception {
        assertThat(doc("json", "{\"msg\":\"a\\ud800b\",\"k\\udc00\":\"\\ud83d\\ude00\"}"))
                .containsEntry("message", "a\ufffdb").containsEntry("labels.k\ufffd", "😀");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "\"str\"", "{\"a\":1", "{\"a\":1} trailing", "{\"a\":}", "{a:1}", "",
        "{\"a\":1}{\"b\":2}", "{\"a\":NaN}"})
    void notAJsonObjectLine(String line) {
        assertThatThrownBy(() -> doc("json", line)).isInstanceOf(ParseException.class)
                .satisfies(x -> assertThat(((ParseException) x).reason()).isNotBlank());
    }

    private static ParseException catchParse(ThrowingRunnable r) {
        try {
            r.run();
        } catch (ParseException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no ParseException");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
