package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EcsJsonWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final EcsJsonWriter writer = new EcsJsonWriter();

    private JsonNode write(LogEvent e) throws Exception {
        return JSON.readTree(writer.write(e));
    }

    @Test
    void nestsTypedAndDottedFieldsIntoEcsObjects() throws Exception {
        LogEvent e = new LogEvent();
        e.timestampMillis = 1431857103000L;
        e.sourceIp = "83.149.9.216";
        e.method = "GET";
        e.urlOriginal = "/a?b=c";
        e.urlPath = "/a";
        e.urlQuery = "b=c";
        e.httpVersion = "1.1";
        e.statusCode = 200;
        e.bodyBytes = 203023;
        e.put("source.geo.city_name", "Moscow").put("source.as.number", 12345).put("labels.tags", List.of("x", "y"));

        JsonNode doc = write(e);

        assertThat(doc.path("@timestamp").asText()).isEqualTo("2015-05-17T10:05:03.000Z");
        assertThat(doc.path("source").path("ip").asText()).isEqualTo("83.149.9.216");
        assertThat(doc.path("source").path("geo").path("city_name").asText()).isEqualTo("Moscow");
        assertThat(doc.path("source").path("as").path("number").asInt()).isEqualTo(12345);
        assertThat(doc.path("http").path("request").path("method").asText()).isEqualTo("GET");
        assertThat(doc.path("http").path("response").path("status_code").asInt()).isEqualTo(200);
        assertThat(doc.path("http").path("response").path("body").path("bytes").asLong()).isEqualTo(203023);
        assertThat(doc.path("http").path("version").asText()).isEqualTo("1.1");
        assertThat(doc.path("url").path("query").asText()).isEqualTo("b=c");
        assertThat(doc.path("labels").path("tags").get(1).asText()).isEqualTo("y");
    }

    @Test
    void omitsAbsentFields() throws Exception {
        LogEvent e = new LogEvent();
        e.message = "x";
        JsonNode doc = write(e);
        assertThat(doc.size()).isEqualTo(1);
        assertThat(doc.has("http")).isFalse();
    }

    @Test
    void keepsBothWhenANameIsAValueAndAParent() throws Exception {
        LogEvent e = new LogEvent();
        e.put("labels.a", "leaf").put("labels.a.b", "child");
        JsonNode doc = write(e);
        assertThat(doc.path("labels").path("a").path("_value").asText()).isEqualTo("leaf");
        assertThat(doc.path("labels").path("a").path("b").asText()).isEqualTo("child");
    }

    @Test
    void writesNestedMapsAndEscapesStrings() throws Exception {
        LogEvent e = new LogEvent();
        e.message = "quote \" backslash \\ newline \n";
        e.put("labels.obj", Map.of("k", 1));
        JsonNode doc = write(e);
        assertThat(doc.path("message").asText()).isEqualTo("quote \" backslash \\ newline \n");
        assertThat(doc.path("labels").path("obj").path("k").asInt()).isEqualTo(1);
    }

    @Test
    void isReusableAcrossEvents() throws Exception {
        LogEvent a = new LogEvent();
        a.put("x.y", 1);
        LogEvent b = new LogEvent();
        b.put("z", 2);
        write(a);
        JsonNode doc = write(b);
        assertThat(doc.has("x")).isFalse();
        assertThat(doc.path("z").asInt()).isEqualTo(2);
    }

    /**
     * The writer keeps the bytes of runs of map fields and reuses them when the values are the same
     * objects: over random events drawn from a few shared values (as an enricher's cache hands them
     * out), and mutable values changed between events, one reused writer writes exactly what a fresh
     * writer writes for each event.
     */
    @Test
    void reusedWriterWritesWhatAFreshOneWrites() {
        java.util.Random random = new java.util.Random(14);
        java.util.List<Object> list = new java.util.ArrayList<>(List.of("a"));
        Map<String, Object> map = new java.util.LinkedHashMap<>(Map.of("lat", 1.5));
        Object[] pool = {"Chrome", "Chrome", new String("Chrome"), "Asia", Boolean.TRUE, Boolean.FALSE, 2.25, 7L, 3,
            "quote\" \u00e9", list, map, java.util.Collections.unmodifiableMap(map)};
        String[] names = {"user_agent.name", "user_agent.os.name", "source.geo.city_name", "source.geo.location",
            "source.geo.timezone", "caravan.bot.is_bot", "caravan.threat.detected", "labels.x", "a.b.c", "a.b"};
        for (int i = 0; i < 5_000; i++) {
            LogEvent e = new LogEvent();
            e.userAgent = random.nextInt(4) == 0 ? "ua" : null; // a typed member between the map fields
            for (String name : names) {
                if (random.nextInt(16) != 0) { // mostly the same names, so that layouts and their runs repeat
                    e.put(name, pool[random.nextInt(3) == 0 ? random.nextInt(pool.length) : name.length() % pool.length]);
                }
            }
            if (random.nextInt(5) == 0) {
                list.set(0, "b" + i);
                map.put("lon", (double) i);
            }
            assertThat(new String(writer.write(e), java.nio.charset.StandardCharsets.UTF_8)).as("event %d", i)
                    .isEqualTo(new String(new EcsJsonWriter().write(e), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** Any string comes back as it went in: escapes, 2-, 3- and 4-byte UTF-8, lone surrogates. */
    @Test
    void stringsOfAnyCharactersReadBackUnchanged() throws Exception {
        java.util.Random random = new java.util.Random(14);
        char[] pool = {'a', '"', '\\', '\n', '\t', '\u0000', '\u001f', '\u007f', '/', 'é', 'ß', '\u0800', '€', '\uffff',
            '\ud83d', '\ude00', '\udbff', '\udc00'};
        for (int round = 0; round < 2000; round++) {
            StringBuilder text = new StringBuilder();
            int n = random.nextInt(40);
            for (int i = 0; i < n; i++) {
                text.append(random.nextInt(3) == 0 ? pool[random.nextInt(pool.length)] : (char) random.nextInt(0x10000));
            }
            LogEvent e = new LogEvent();
            e.message = text.toString();
            e.put("labels.list", List.of(text.toString(), 1));
            JsonNode doc = write(e);
            assertThat(doc.path("message").asText()).isEqualTo(text.toString());
            assertThat(doc.path("labels").path("list").get(0).asText()).isEqualTo(text.toString());
        }
    }

    @Test
    void writesNumbersAsJacksonReadsThem() throws Exception {
        LogEvent e = new LogEvent();
        e.statusCode = 0;
        e.bodyBytes = Long.MIN_VALUE + 1;
        e.durationNanos = Long.MAX_VALUE;
        e.put("n.min", Long.MIN_VALUE).put("n.neg", -7).put("n.d", 0.1).put("n.e", 1.0E-10).put("n.f", 2.5f)
                .put("n.nan", Double.NaN).put("n.inf", Float.NEGATIVE_INFINITY)
                .put("n.big", new java.math.BigDecimal("12345678901234567890.5")).put("n.short", (short) -3)
                .put("n.t", Boolean.TRUE).put("n.nothing", java.util.Collections.singletonList(null));
        JsonNode doc = write(e);
        assertThat(doc.path("http").path("response").path("status_code").asInt()).isZero();
        assertThat(doc.path("http").path("response").path("body").path("bytes").asLong()).isEqualTo(Long.MIN_VALUE + 1);
        assertThat(doc.path("event").path("duration").asLong()).isEqualTo(Long.MAX_VALUE);
        JsonNode n = doc.path("n");
        assertThat(n.path("min").asLong()).isEqualTo(Long.MIN_VALUE);
        assertThat(n.path("neg").asInt()).isEqualTo(-7);
        assertThat(n.path("d").doubleValue()).isEqualTo(0.1);
        assertThat(n.path("e").doubleValue()).isEqualTo(1.0E-10);
        assertThat(n.path("f").doubleValue()).isEqualTo(2.5);
        assertThat(n.path("nan").asText()).isEqualTo("NaN");
        assertThat(n.path("inf").asText()).isEqualTo("-Infinity");
        assertThat(new String(writer.write(e), java.nio.charset.StandardCharsets.UTF_8))
                .contains("\"big\":12345678901234567890.5,"); // every digit, as a number
        assertThat(n.path("short").asInt()).isEqualTo(-3);
        assertThat(n.path("t").booleanValue()).isTrue();
        assertThat(n.path("nothing").get(0).isNull()).isTrue();
    }

    /** The timestamp is written without a String, day by day: same text as {@link Timestamps#iso}. */
    @Test
    void writesTimestampsAsTimestampsIsoDoes() throws Exception {
        java.util.Random random = new java.util.Random(14);
        long[] edges = {0, -1, 86_399_999, 86_400_000, -86_400_000, 253_402_300_799_999L, 253_402_300_800_000L,
            -62_167_219_200_001L, 1431857103007L};
        for (int i = 0; i < 3000; i++) {
            long millis = i < edges.length ? edges[i]
                    : i % 2 == 0 ? 1_700_000_000_000L + random.nextInt(1_000_000_000) : random.nextLong() % 400_000_000_000_000L;
            LogEvent e = new LogEvent();
            e.timestampMillis = millis;
            assertThat(write(e).path("@timestamp").asText()).as("%d", millis).isEqualTo(Timestamps.iso(millis));
        }
    }

    /**
     * Against a plain tree built name by name: random dotted names (values, parents, both), many
     * sets of them on one writer, each set written twice with other values, so the cached layouts
     * are used, evicted and rebuilt.
     */
    @Test
    void matchesATreeBuiltNameByNameForManySetsOfNames() throws Exception {
        java.util.Random random = new java.util.Random(14);
        for (int round = 0; round < 400; round++) {
            java.util.List<String> names = new java.util.ArrayList<>();
            int n = 1 + random.nextInt(30);
            for (int i = 0; i < n; i++) {
                StringBuilder name = new StringBuilder();
                int depth = 1 + random.nextInt(4);
                for (int d = 0; d < depth; d++) {
                    name.append(d == 0 ? "" : ".").append((char) ('a' + random.nextInt(3)));
                }
                if (!names.contains(name.toString())) {
                    names.add(name.toString());
                }
            }
            for (int pass = 0; pass < 2; pass++) {
                LogEvent e = new LogEvent();
                e.statusCode = round;
                for (String name : names) {
                    e.put(name, name + "#" + random.nextInt(1000));
                }
                assertThat(write(e)).as("round %d: %s", round, names).isEqualTo(tree(e));
            }
        }
    }

    /** The expected document: each name nested in order; a value that is also a parent under _value. */
    private static JsonNode tree(LogEvent e) {
        var root = JSON.createObjectNode();
        root.putObject("http").putObject("response").put("status_code", e.statusCode);
        java.util.Set<String> parents = new java.util.HashSet<>();
        for (String name : e.fields().keySet()) {
            for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
                parents.add(name.substring(0, dot));
            }
        }
        for (Map.Entry<String, Object> f : e.fields().entrySet()) {
            String[] parts = f.getKey().split("\\.");
            var node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                node = node.has(parts[i]) ? (com.fasterxml.jackson.databind.node.ObjectNode) node.get(parts[i])
                        : node.putObject(parts[i]);
            }
            String leaf = parts[parts.length - 1];
            if (parents.contains(f.getKey())) {
                var holder = node.has(leaf) ? (com.fasterxml.jackson.databind.node.ObjectNode) node.get(leaf) : node.putObject(leaf);
                holder.put("_value", (String) f.getValue());
            } else {
                node.put(leaf, (String) f.getValue());
            }
        }
        return root;
    }
}
