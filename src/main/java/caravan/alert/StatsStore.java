package caravan.alert;

import caravan.search.SearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The analyser's indices: {@code <prefix>-stats-YYYY.MM.DD} (one document per dataset and window,
 * the detectors' memory), {@code <prefix>-alerts} and {@code <prefix>-leases}. The prefix is
 * {@code caravan} unless several clusters of Caravan share one Elasticsearch (or tests run side by side).
 */
public final class StatsStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC);
    private final SearchClient es;
    private final String prefix;
    private final int replicas;
    private volatile boolean templates;

    public StatsStore(SearchClient es, String prefix, int replicas) {
        this.es = es;
        this.prefix = prefix;
        this.replicas = replicas;
    }

    public SearchClient es() {
        return es;
    }

    public String statsIndex(Instant t) {
        return prefix + "-stats-" + DAY.format(t);
    }

    public String statsPattern() {
        return prefix + "-stats-*";
    }

    public String alertsIndex() {
        return prefix + "-alerts";
    }

    public String leasesIndex() {
        return prefix + "-leases";
    }

    /** Explicit mappings, so that a first document with an odd value cannot fix a field's type. */
    public void ensureTemplates() throws IOException {
        if (templates) {
            return;
        }
        String settings = "\"settings\":{\"number_of_shards\":1,\"number_of_replicas\":" + replicas + "}";
        es.call("PUT", "/_index_template/" + prefix + "-stats", """
            {"index_patterns":["%s-stats-*"],"priority":300,"_meta":{"managed_by":"caravan"},
             "template":{%s,"mappings":{"dynamic_templates":[{"strings":{"match_mapping_type":"string","mapping":{"type":"keyword"}}}],
              "properties":{"@timestamp":{"type":"date"},"event":{"properties":{"dataset":{"type":"keyword"}}},
               "window":{"properties":{"start":{"type":"date"},"end":{"type":"date"},"seconds":{"type":"long"}}},
               "requests":{"type":"long"},"errors":{"type":"long"},"client_errors":{"type":"long"},"error_rate":{"type":"double"},
               "bytes":{"type":"long"},"unique_clients":{"type":"long"},
               "top_ips":{"properties":{"ip":{"type":"keyword"},"count":{"type":"long"}}},
               "top_paths":{"properties":{"path":{"type":"keyword"},"count":{"type":"long"}}},
               "latency":{"properties":{"path":{"type":"keyword"},"count":{"type":"long"},"mean_ms":{"type":"double"},
                 "p50_ms":{"type":"double"},"p95_ms":{"type":"double"},"p99_ms":{"type":"double"}}},
               "slow_endpoints":{"type":"keyword"},
               "threats":{"properties":{"total":{"type":"long"},"categories":{"properties":{"name":{"type":"keyword"},"count":{"type":"long"}}},
                 "ips":{"properties":{"ip":{"type":"keyword"},"count":{"type":"long"}}}}},
               "bots":{"properties":{"total":{"type":"long"},"categories":{"properties":{"name":{"type":"keyword"},"count":{"type":"long"}}}}}}}}}
            """.formatted(prefix, settings));
        es.call("PUT", "/_index_template/" + prefix + "-alerts", """
            {"index_patterns":["%s-alerts","%s-leases"],"priority":300,"_meta":{"managed_by":"caravan"},
             "template":{%s,"mappings":{"dynamic_templates":[{"strings":{"match_mapping_type":"string","mapping":{"type":"keyword"}}}],
              "properties":{"@timestamp":{"type":"date"},"first_fired":{"type":"date"},"window":{"type":"date"},
               "resolved_at":{"type":"date"},"value":{"type":"double"},"message":{"type":"text"},"expires":{"type":"date"},
               "evaluated_until":{"type":"date"}}}}}
            """.formatted(prefix, prefix, settings));
        templates = true;
    }

    /** Computes the statistics of the windows in [from, to) from the source indices. */
    public List<WindowStats> compute(StatsQuery query, String sourceIndices, Instant from, Instant to) throws IOException {
        JsonNode r = es.call("POST", "/" + sourceIndices + "/_search?ignore_unavailable=true&allow_no_indices=true",
                query.body(from, to));
        return query.parse(r);
    }

    /** Stores windows in one bulk request; the ids make a re-evaluation overwrite, never duplicate. */
    public void writeAll(List<WindowStats> windows) throws IOException {
        if (windows.isEmpty()) {
            return;
        }
        StringBuilder bulk = new StringBuilder();
        for (WindowStats s : windows) {
            bulk.append("{\"index\":{\"_index\":\"").append(statsIndex(s.start)).append("\",\"_id\":")
                    .append(JSON.getNodeFactory().textNode(s.id())).append("}}\n")
                    .append(JSON.writeValueAsString(s.toJson(JSON))).append('\n');
        }
        // refresh=true: the next run (or the API) reads these right away.
        JsonNode r = es.call("POST", "/_bulk?refresh=true", bulk.toString());
        if (r.path("errors").asBoolean(false)) {
            for (JsonNode item : r.path("items")) {
                JsonNode err = item.path("index").path("error");
                if (!err.isMissingNode()) {
                    throw new IOException("storing window statistics failed: " + err.path("reason").asText(err.toString()));
                }
            }
        }
    }

    /** Up to {@code n} windows of the dataset that start before {@code before}, oldest first. */
    public List<WindowStats> history(String dataset, Instant before, int n) throws IOException {
        JsonNode r = es.call("POST", "/" + statsPattern() + "/_search?ignore_unavailable=true&allow_no_indices=true", """
            {"size":%d,"sort":[{"window.start":"desc"}],
             "query":{"bool":{"filter":[{"term":{"event.dataset":"%s"}},{"range":{"window.start":{"lt":"%s"}}}]}}}
            """.formatted(n, jsonEscape(dataset), before));
        List<WindowStats> out = new ArrayList<>();
        r.path("hits").path("hits").forEach(h -> out.add(WindowStats.fromJson(h.path("_source"))));
        Collections.reverse(out);
        return out;
    }

    /** IPs that any stored window in [before - lookback, before) lists with threat hits. */
    public Set<String> attackersSeen(Instant before, Duration lookback) throws IOException {
        JsonNode r = es.call("POST", "/" + statsPattern() + "/_search?ignore_unavailable=true&allow_no_indices=true", """
            {"size":0,"query":{"range":{"window.start":{"gte":"%s","lt":"%s"}}},
             "aggs":{"ips":{"terms":{"field":"threats.ips.ip","size":65000}}}}
            """.formatted(before.minus(lookback), before));
        Set<String> out = new HashSet<>();
        r.path("aggregations").path("ips").path("buckets").forEach(b -> out.add(b.path("key").asText()));
        return out;
    }

    /** Stored statistics for the API, oldest first. */
    public ArrayNode stats(Instant from, Instant to, String dataset, int size) throws IOException {
        String filter = "{\"range\":{\"window.start\":{\"gte\":\"" + from + "\",\"lt\":\"" + to + "\"}}}"
                + (dataset == null ? "" : ",{\"term\":{\"event.dataset\":\"" + jsonEscape(dataset) + "\"}}");
        JsonNode r = es.call("POST", "/" + statsPattern() + "/_search?ignore_unavailable=true&allow_no_indices=true",
                "{\"size\":" + size + ",\"sort\":[{\"window.start\":\"asc\"},{\"event.dataset\":\"asc\"}],"
                        + "\"query\":{\"bool\":{\"filter\":[" + filter + "]}}}");
        ArrayNode out = JSON.createArrayNode();
        r.path("hits").path("hits").forEach(h -> out.add(h.path("_source")));
        return out;
    }

    /** Alert documents, newest first; {@code status} null for all. */
    public List<JsonNode> alerts(String status, String mode, int size) throws IOException {
        List<String> filters = new ArrayList<>();
        if (status != null) {
            filters.add("{\"term\":{\"status\":\"" + jsonEscape(status) + "\"}}");
        }
        if (mode != null) {
            filters.add("{\"term\":{\"mode\":\"" + jsonEscape(mode) + "\"}}");
        }
        JsonNode r = es.call("POST", "/" + alertsIndex() + "/_search?ignore_unavailable=true&allow_no_indices=true",
                "{\"size\":" + size + ",\"sort\":[{\"window\":\"desc\"}],\"query\":{\"bool\":{\"filter\":["
                        + String.join(",", filters) + "]}}}");
        List<JsonNode> out = new ArrayList<>();
        r.path("hits").path("hits").forEach(h -> out.add(h.path("_source")));
        return out;
    }

    static String jsonEscape(String s) {
        return JSON.getNodeFactory().textNode(s).toString().replaceAll("^\"|\"$", "");
    }
}
