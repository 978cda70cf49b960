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
