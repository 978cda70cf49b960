package caravan.alert;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsQueryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StatsQuery q = new StatsQuery(Duration.ofMinutes(1), 5, 10, 1000);

    @Test
    void theBodyAsksForAlignedWindowsOfTheRange() throws Exception {
        JsonNode body = JSON.readTree(q.body(Instant.parse("2015-05-17T10:00:00Z"), Instant.parse("2015-05-17T11:00:00Z")));
        assertThat(body.path("query").path("range").path("@timestamp").path("gte").asText()).isEqualTo("2015-05-17T10:00:00Z");
        assertThat(body.path("query").path("range").path("@timestamp").path("lt").asText()).isEqualTo("2015-05-17T11:00:00Z");
        JsonNode w = body.path("aggs").path("w");
        assertThat(w.path("date_histogram").path("fixed_interval").asText()).isEqualTo("60s");
        assertThat(w.path("aggs").path("ds").path("aggs").path("ips").path("terms").path("size").asInt()).isEqualTo(5);
        assertThat(w.path("aggs").path("ds").path("aggs").path("timed").path("aggs").path("ep").path("terms").path("size").asInt())
                .isEqualTo(10);
    }

    @Test
    void aResponseBecomesOneWindowPerDatasetWithDerivedNumbers() throws Exception {
        String response = """
            {"aggregations":{"w":{"buckets":[{"key":1431857100000,"doc_count":10,"ds":{"buckets":[{"key":"apache.access","doc_count":10,
              "codes":{"buckets":[{"key":200,"doc_count":6},{"key":404,"doc_count":1},{"key":503,"doc_count":3}]},
              "bytes":{"value":12345.0},"clients":{"value":4},
              "ips":{"buckets":[{"key":"10.0.0.1","doc_count":7}]},
              "paths":{"buckets":[{"key":"/a","doc_count":9}]},
              "timed":{"doc_count":4,"ep":{"buckets":[
                {"key":"/slow","doc_count":2,"avg":{"value":2.5E9},"pct":{"values":{"50.0":2.0E9,"95.0":3.0E9,"99.0":3.0E9}}},
                {"key":"/fast","doc_count":2,"avg":{"value":1.25E7},"pct":{"values":{"50.0":1.0E7,"95.0":1.5E7,"99.0":1.5E7}}}]}},
              "threat":{"doc_count":2,"cat":{"buckets":[{"key":"sql_injection","doc_count":2}]},"ips":{"buckets":[{"key":"10.0.0.9","doc_count":2}]}},
              "bot":{"doc_count":1,"cat":{"buckets":[{"key":"crawler","doc_count":1}]}}}]}}]}}}
            """;
        List<WindowStats> out = q.parse(JSON.readTree(response));
        assertThat(out).singleElement().satisfies(s -> {
            assertThat(s.start).isEqualTo(Instant.parse("2015-05-17T10:05:00Z"));
            assertThat(s.end).isEqualTo(Instant.parse("2015-05-17T10:06:00Z"));
            assertThat(s.requests).isEqualTo(10);
            assertThat(s.errors).isEqualTo(3);
            assertThat(s.clientErrors).isEqualTo(1);
            assertThat(s.errorRate()).isEqualTo(0.3);
            assertThat(s.statusClasses()).isEqualTo(Map.of("2xx", 6L, "4xx", 1L, "5xx", 3L));
            assertThat(s.bytes).isEqualTo(12345);
            assertThat(s.uniqueClients).isEqualTo(4);
            assertThat(s.latency.get("/slow").meanMs()).isEqualTo(2500.0); // ns to ms
            assertThat(s.latency.get("/fast").p95Ms()).isEqualTo(15.0);
            assertThat(s.slowEndpoints).containsExactly("/slow"); // p95 3000 ms > 1000 ms
            assertThat(s.threatIps).containsEntry("10.0.0.9", 2L);
            assertThat(s.botCategories).containsEntry("crawler", 1L);
            // The stored document reads back to the same numbers.
            WindowStats back = WindowStats.fromJson(s.toJson(JSON));
            assertThat(back.id()).isEqualTo("apache.access@1431857100000");
            assertThat(back.statusCodes).isEqualTo(s.statusCodes);
            assertThat(back.latency).isEqualTo(s.latency);
            assertThat(back.threatIps).isEqualTo(s.threatIps);
            assertThat(back.errorRate()).isEqualTo(0.3);
        });
    }
}
