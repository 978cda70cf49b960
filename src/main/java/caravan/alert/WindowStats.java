package caravan.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one dataset did in one window: the numbers the detectors read and the document stored in
 * {@code caravan-stats-*}. Mutable on purpose: it is filled from an aggregation response (or, in
 * tests, by hand) and then only read.
 */
public final class WindowStats {
    /** Latency of one endpoint in one window, in milliseconds. */
    public record Latency(long count, double meanMs, double p50Ms, double p95Ms, double p99Ms) {
    }

    public final String dataset;
    public final Instant start;
    public final Instant end;
    public long requests;
    /** Responses with a 5xx status. */
    public long errors;
    /** Responses with a 4xx status. */
    public long clientErrors;
    public long bytes;
    public long uniqueClients;
    public long threats;
    public long bots;
    /** Status code (as text) to count, ascending. */
    public final Map<String, Long> statusCodes = new TreeMap<>();
    /** Top client IPs by requests, largest first. */
    public final Map<String, Long> topIps = new LinkedHashMap<>();
    public final Map<String, Long> topPaths = new LinkedHashMap<>();
    public final Map<String, Latency> latency = new LinkedHashMap<>();
    public final List<String> slowEndpoints = new ArrayList<>();
    public final Map<String, Long> threatCategories = new LinkedHashMap<>();
    /** Top IPs by requests the threat rules flagged. */
    public final Map<String, Long> threatIps = new LinkedHashMap<>();
    public final Map<String, Long> botCategories = new LinkedHashMap<>();

    public WindowStats(String dataset, Instant start, Instant end) {
        this.dataset = dataset;
        this.start = start;
        this.end = end;
    }

    /** Share of requests answered with a 5xx, 0 for an empty window. */
    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /** Status classes ("2xx" ...) summed from the codes. */
    public Map<String, Long> statusClasses() {
        Map<String, Long> out = new TreeMap<>();
        statusCodes.forEach((code, n) -> out.merge(code.charAt(0) + "xx", n, Long::sum));
        return out;
    }

    /** A numeric metric by the name rules use, or NaN for an unknown name. */
    public double metric(String name) {
        return switch (name) {
            case "requests" -> requests;
            case "errors" -> errors;
            case "client_errors" -> clientErrors;
            case "error_rate" -> errorRate();
            case "bytes" -> bytes;
            case "unique_clients" -> uniqueClients;
            case "threats" -> threats;
            case "bots" -> bots;
            default -> Double.NaN;
        };
    }

    /** Metric names {@link #metric} knows. */
    public static final List<String> METRICS = List.of("requests", "errors", "client_errors", "error_rate", "bytes",
            "unique_clients", "threats", "bots");

    /** The stored document's id: the same for a re-evaluation of the window, so it overwrites. */
    public String id() {
        return dataset + "@" + start.toEpochMilli();
    }

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode d = json.createObjectNode();
        d.put("@timestamp", start.toString());
        d.putObject("event").put("dataset", dataset);
        ObjectNode w = d.putObject("window");
        w.put("start", start.toString()).put("end", end.toString()).put("seconds", end.getEpochSecond() - start.getEpochSecond());
        d.put("requests", requests).put("errors", errors).put("client_errors", clientErrors)
                .put("error_rate", errorRate()).put("bytes", bytes).put("unique_clients", uniqueClients);
        ObjectNode status = d.putObject("status");
        statusClasses().forEach(status.putObject("class")::put);
        ArrayNode codes = status.putArray("codes");
        statusCodes.forEach((c, n) -> codes.addObject().put("code", Integer.parseInt(c)).put("count", n));
        list(d.putArray("top_ips"), topIps, "ip");
        list(d.putArray("top_paths"), topPaths, "path");
        ArrayNode lat = d.putArray("latency");
        latency.forEach((path, l) -> lat.addObject().put("path", path).put("count", l.count()).put("mean_ms", l.meanMs())
                .put("p50_ms", l.p50Ms()).put("p95_ms", l.p95Ms()).put("p99_ms", l.p99Ms()));
        ArrayNode slow = d.putArray("slow_endpoints");
        slowEndpoints.forEach(slow::add);
        ObjectNode t = d.putObject("threats");
        t.put("total", threats);
        list(t.putArray("categories"), threatCategories, "name");
        list(t.putArray("ips"), threatIps, "ip");
        ObjectNode b = d.putObject("bots");
        b.put("total", bots);
        list(b.putArray("categories"), botCategories, "name");
        return d;
    }

    private static void list(ArrayNode into, Map<String, Long> counts, String key) {
        counts.forEach((k, n) -> into.addObject().put(key, k).put("count", n));
    }

    public static WindowStats fromJson(JsonNode d) {
        WindowStats s = new WindowStats(d.path("event").path("dataset").asText(),
                Instant.parse(d.path("window").path("start").asText()), Instant.parse(d.path("window").path("end").asText()));
        s.requests = d.path("requests").asLong();
        s.errors = d.path("errors").asLong();
        s.clientErrors = d.path("client_errors").asLong();
        s.bytes = d.path("bytes").asLong();
        s.uniqueClients = d.path("unique_clients").asLong();
        for (JsonNode c : d.path("status").path("codes")) {
            s.statusCodes.put(c.path("code").asText(), c.path("count").asLong());
        }
        read(d.path("top_ips"), "ip", s.topIps);
        read(d.path("top_paths"), "path", s.topPaths);
        for (JsonNode l : d.path("latency")) {
            s.latency.put(l.path("path").asText(), new Latency(l.path("count").asLong(), l.path("mean_ms").asDouble(),
                    l.path("p50_ms").asDouble(), l.path("p95_ms").asDouble(), l.path("p99_ms").asDouble()));
        }
        d.path("slow_endpoints").forEach(p -> s.slowEndpoints.add(p.asText()));
        s.threats = d.path("threats").path("total").asLong();
        read(d.path("threats").path("categories"), "name", s.threatCategories);
        read(d.path("threats").path("ips"), "ip", s.threatIps);
        s.bots = d.path("bots").path("total").asLong();
        read(d.path("bots").path("categories"), "name", s.botCategories);
        return s;
    }

    private static void read(JsonNode list, String key, Map<String, Long> into) {
        for (JsonNode e : list) {
            into.put(e.path(key).asText(), e.path("count").asLong());
        }
    }
}
