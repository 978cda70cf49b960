package caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.alert.StatsStore;
import caravan.search.ElasticsearchClients;
import caravan.search.SearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every field the Kibana saved objects use exists in the index template of the indices their data
 * view covers (logs-* from caravan/logs-template.json, caravan-stats-* from the template
 * StatsStore installs), with a type that fits the aggregation.
 */
class DashboardFieldsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> NUMERIC = Set.of("long", "integer", "short", "double", "float", "scaled_float");
    private static final Set<String> AGGREGATABLE = Set.of("keyword", "ip", "long", "integer", "double", "boolean", "date");
    private static final Pattern KQL_FIELD = Pattern.compile("([A-Za-z_@][A-Za-z0-9_.@]*)\\s*(?::|>=|<=|>|<)");
    private static final Map<String, Map<String, String>> FIELDS = new HashMap<>(); // data view title -> field -> type
    private static final List<JsonNode> OBJECTS = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        FIELDS.put("logs-*", flatten(JSON.readTree(DashboardFieldsTest.class.getResourceAsStream("/caravan/logs-template.json"))
                .path("template").path("mappings").path("properties")));
        FIELDS.put("caravan-stats-*", flatten(statsTemplate().path("template").path("mappings").path("properties")));
        String ndjson = new String(DashboardFieldsTest.class.getResourceAsStream("/caravan/kibana/caravan.ndjson").readAllBytes(),
                StandardCharsets.UTF_8);
        for (String line : ndjson.split("\n")) {
            OBJECTS.add(JSON.readTree(line));
        }
    }

    /** The caravan-stats template, as StatsStore PUTs it to Elasticsearch (captured by a local server). */
    private static JsonNode statsTemplate() throws Exception {
        Map<String, String> puts = new HashMap<>();
        HttpServer es = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        es.createContext("/", ex -> {
            puts.put(ex.getRequestURI().getPath(), new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ok = "{\"acknowledged\":true}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, ok.length);
            ex.getResponseBody().write(ok);
            ex.close();
        });
        es.start();
        try (var client = ElasticsearchClients.create("http://127.0.0.1:" + es.getAddress().getPort(), null, null, null)) {
            new StatsStore(new SearchClient(client), "caravan", 0).ensureTemplates();
        } finally {
            es.stop(0);
        }
        JsonNode t = JSON.readTree(puts.get("/_index_template/caravan-stats"));
        assertThat(t.path("index_patterns").get(0).asText()).isEqualTo("caravan-stats-*");
        return t;
    }

    @Test
    void everyVisualizationFieldExistsWithAFittingType() throws Exception {
        int checked = 0;
        for (JsonNode o : OBJECTS) {
            if (!o.path("type").asText().equals("visualization")) {
                continue;
            }
            String title = o.path("attributes").path("title").asText();
            Map<String, String> fields = fieldsOf(o);
            JsonNode vis = JSON.readTree(o.path("attributes").path("visState").asText());
            for (JsonNode agg : vis.path("aggs")) {
                String type = agg.path("type").asText();
                String field = agg.path("params").path("field").asText(null);
                if (type.equals("filters")) {
                    for (JsonNode f : agg.path("params").path("filters")) {
                        checked += assertQueryFields(title, f.path("input").path("query").asText(), fields);
                    }
                    continue;
                }
                if (type.equals("count")) {
                    continue;
                }
                assertThat(field).as("%s: %s aggregation without a field", title, type).isNotNull();
                String mapped = fields.get(field);
                assertThat(mapped).as("%s: field %s in the template", title, field).isNotNull();
                switch (type) {
                    case "date_histogram" -> assertThat(mapped).as("%s: %s", title, field).isEqualTo("date");
                    case "terms" -> assertThat(AGGREGATABLE).as("%s: terms on %s (%s)", title, field, mapped).contains(mapped);
                    case "sum", "avg", "max", "min", "percentiles" ->
                            assertThat(NUMERIC).as("%s: %s on %s (%s)", title, type, field, mapped).contains(mapped);
                    default -> throw new AssertionError(title + ": aggregation " + type + " is not checked by this test");
                }
                checked++;
            }
            JsonNode source = JSON.readTree(o.path("attributes").path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
            checked += assertQueryFields(title, source.path("query").path("query").asText(), fields);
        }
        assertThat(checked).isGreaterThan(25);
    }

    @Test
    void theDashboardHasThePanelsAskedFor() throws Exception {
        JsonNode dash = OBJECTS.stream().filter(o -> o.path("type").asText().equals("dashboard")).findFirst().orElseThrow();
        List<String> titles = new ArrayList<>();
        for (JsonNode ref : dash.path("references")) {
            JsonNode target = byId(ref.path("id").asText());
            assertThat(target).as("panel %s", ref).isNotNull();
            titles.add(target.path("attributes").path("title").asText());
        }
        assertThat(JSON.readTree(dash.path("attributes").path("panelsJSON").asText())).hasSameSizeAs(dash.path("references"));
        assertThat(String.join("|", titles)).contains("traffic per minute", "most active IPs", "404 and 500", "status distribution",
                "top pages", "threats by category", "threats by country", "bots", "latency p95", "(statistics)");
    }

    @Test
    void idsAreFixedSoAnImportOverwrites() {
        assertThat(OBJECTS).allSatisfy(o -> assertThat(o.path("id").asText()).startsWith("caravan-"));
        assertThat(OBJECTS.stream().map(o -> o.path("id").asText()).distinct().count()).isEqualTo(OBJECTS.size());
    }

    @Test
    void theGrafanaDashboardCoversEveryTopic() throws Exception {
        JsonNode g = JSON.readTree(Files.readString(Tools.ROOT.resolve("grafana/dashboards/caravan.json")));
        StringBuilder exprs = new StringBuilder();
        for (JsonNode p : g.path("panels")) {
            p.path("targets").forEach(t -> exprs.append(t.path("expr").asText()).append('\n'));
        }
        assertThat(exprs.toString()).contains("caravan_logs_processed_total", "caravan_dlq_total", "caravan_circuit_state",
                "caravan_kafka_consumer_lag", "caravan_tail_lag_bytes", "caravan_tail_checkpoint_writes_seconds",
                "reload_failures_total", "caravan_elasticsearch_bulk_seconds_bucket", "jvm_memory_used_bytes",
                "camel_exchanges_total");
    }

    private static int assertQueryFields(String title, String kql, Map<String, String> fields) {
        int n = 0;
        Matcher m = KQL_FIELD.matcher(kql);
        while (m.find()) {
            assertThat(fields).as("%s: field %s of query '%s'", title, m.group(1), kql).containsKey(m.group(1));
            n++;
        }
        return n;
    }

    private static Map<String, String> fieldsOf(JsonNode vis) {
        String id = vis.path("references").get(0).path("id").asText();
        String pattern = byId(id).path("attributes").path("title").asText();
        Map<String, String> f = FIELDS.get(pattern);
        assertThat(f).as("a template for data view %s", pattern).isNotNull();
        return f;
    }

    private static JsonNode byId(String id) {
        return OBJECTS.stream().filter(o -> o.path("id").asText().equals(id)).findFirst().orElse(null);
    }

    private static Map<String, String> flatten(JsonNode props) {
        Map<String, String> out = new HashMap<>();
        flatten("", props, out);
        return out;
    }

    private static void flatten(String prefix, JsonNode props, Map<String, String> out) {
        props.properties().forEach(e -> {
            String name = prefix + e.getKey();
            if (e.getValue().has("properties")) {
                flatten(name + ".", e.getValue().path("properties"), out);
            } else {
                out.put(name, e.getValue().path("type").asText("object"));
            }
        });
    }
}
