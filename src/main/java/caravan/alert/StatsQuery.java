package caravan.alert;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The one aggregation request that computes {@link WindowStats} for a time range: a date histogram
 * of windows by the events' {@code @timestamp}, split by {@code event.dataset}. Elasticsearch does
 * the counting, so any number of indexer processes can feed the data and one query still sees all
 * of it.
 */
public final class StatsQuery {
    private final Duration window;
    private final int topN;
    private final int endpoints;
    private final long slowMs;

    public StatsQuery(Duration window, int topN, int endpoints, long slowMs) {
        this.window = window;
        this.topN = topN;
        this.endpoints = endpoints;
        this.slowMs = slowMs;
    }

    /** The request body for windows starting in [from, to); both must be window-aligned. */
    public String body(Instant from, Instant to) {
        return """
            {"size":0,"track_total_hits":false,
             "query":{"range":{"@timestamp":{"gte":"%s","lt":"%s","format":"strict_date_optional_time"}}},
             "aggs":{"w":{"date_histogram":{"field":"@timestamp","fixed_interval":"%ds","min_doc_count":1},
              "aggs":{"ds":{"terms":{"field":"event.dataset","size":100},
               "aggs":{
                "codes":{"terms":{"field":"http.response.status_code","size":100}},
                "bytes":{"sum":{"field":"http.response.body.bytes"}},
                "clients":{"cardinality":{"field":"source.ip","precision_threshold":3000}},
                "ips":{"terms":{"field":"source.ip","size":%d}},
                "paths":{"terms":{"field":"url.path","size":%d}},
                "timed":{"filter":{"exists":{"field":"event.duration"}},
                 "aggs":{"ep":{"terms":{"field":"url.path","size":%d},
                  "aggs":{"avg":{"avg":{"field":"event.duration"}},
                          "pct":{"percentiles":{"field":"event.duration","percents":[50,95,99]}}}}}},
                "threat":{"filter":{"term":{"caravan.threat.detected":true}},
                 "aggs":{"cat":{"terms":{"field":"caravan.threat.categories","size":50}},
                         "ips":{"terms":{"field":"source.ip","size":%d}}}},
                "bot":{"filter":{"term":{"caravan.bot.is_bot":true}},
                 "aggs":{"cat":{"terms":{"field":"caravan.bot.category","size":50}}}}
               }}}}}}
            """.formatted(from, to, window.toSeconds(), topN, topN, endpoints, topN);
    }

    /** Every (window, dataset) with at least one event, in time order. */
    public List<WindowStats> parse(JsonNode response) {
        List<WindowStats> out = new ArrayList<>();
        for (JsonNode w : response.path("aggregations").path("w").path("buckets")) {
            Instant start = Instant.ofEpochMilli(w.path("key").asLong());
            for (JsonNode ds : w.path("ds").path("buckets")) {
                WindowStats s = new WindowStats(ds.path("key").asText(), start, start.plus(window));
                s.requests = ds.path("doc_count").asLong();
                for (JsonNode c : ds.path("codes").path("buckets")) {
                    String code = c.path("key").asText();
                    long n = c.path("doc_count").asLong();
                    s.statusCodes.put(code, n);
                    if (code.startsWith("5")) {
                        s.errors += n;
                    } else if (code.startsWith("4")) {
                        s.clientErrors += n;
                    }
                }
                s.bytes = ds.path("bytes").path("value").asLong();
                s.uniqueClients = ds.path("clients").path("value").asLong();
                terms(ds.path("ips"), s.topIps);
                terms(ds.path("paths"), s.topPaths);
                for (JsonNode ep : ds.path("timed").path("ep").path("buckets")) {
                    JsonNode pct = ep.path("pct").path("values");
                    WindowStats.Latency l = new WindowStats.Latency(ep.path("doc_count").asLong(),
                            ms(ep.path("avg").path("value")), ms(pct.path("50.0")), ms(pct.path("95.0")), ms(pct.path("99.0")));
                    s.latency.put(ep.path("key").asText(), l);
                    if (l.p95Ms() > slowMs) {
                        s.slowEndpoints.add(ep.path("key").asText());
                    }
                }
                s.threats = ds.path("threat").path("doc_count").asLong();
                terms(ds.path("threat").path("cat"), s.threatCategories);
                terms(ds.path("threat").path("ips"), s.threatIps);
                s.bots = ds.path("bot").path("doc_count").asLong();
                terms(ds.path("bot").path("cat"), s.botCategories);
                out.add(s);
            }
        }
        return out;
    }

    /** event.duration is in nanoseconds (ECS); the statistics speak milliseconds. */
    private static double ms(JsonNode ns) {
        return ns.isNumber() ? Math.round(ns.asDouble() / 1_000.0) / 1_000.0 : 0;
    }

    private static void terms(JsonNode agg, java.util.Map<String, Long> into) {
        for (JsonNode b : agg.path("buckets")) {
            into.put(b.path("key_as_string").asText(b.path("key").asText()), b.path("doc_count").asLong());
        }
    }
}
