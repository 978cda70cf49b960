package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.FileTrees;
import caravan.devstack.ElasticsearchServer;
import caravan.devstack.Engine;
import caravan.index.DlqHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What must hold on every engine Caravan supports (issue 13): PipelineIT's corpus assertions, a
 * mapping-conflict dead letter and its replay, and the /api/logs and {@code caravan analyse} queries.
 * One subclass per engine; Elasticsearch 9 is the shared devstack's node, the others are started by
 * the subclass for its own tests and stopped after them (one search engine at a time besides ES 9).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EngineMatrix {
    private static final Logger LOG = LoggerFactory.getLogger(EngineMatrix.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN = "matrix-token";

    private ElasticsearchServer own;
    private java.nio.file.Path ownDir;
    /** The engine's URL. */
    protected String url;

    abstract Engine engine();

    @BeforeAll
    void startEngine() throws Exception {
        if (engine() == Engine.ELASTICSEARCH_9) {
            url = caravan.devstack.DevStack.shared().elasticsearchUrl();
            return;
        }
        caravan.devstack.DevStack.shared(); // Kafka
        ownDir = Files.createTempDirectory("caravan-" + engine().id() + "-");
        own = new ElasticsearchServer(ownDir, engine()).heap("768m");
        own.start();
        url = own.url();
    }

    @AfterAll
    void stopEngine() throws java.io.IOException {
        if (own != null) {
            own.stop();
            FileTrees.delete(ownDir);
        }
    }

    @Test
    void corpusExactlyOnceThenTheApiAndAnalyse() throws Exception {
        List<String> corpus = Lines.corpus();
        assertThat(corpus).hasSize(10_000);
        try (Pipeline p = new Pipeline(url)) {
            Lines gen = new Lines("matrix-host", "matrix-" + p.id);
            corpus.forEach(l -> gen.line(l, "combined"));
            Path tokenFile = Files.writeString(p.dir.resolve("api-token"), TOKEN + "\n");
            Properties props = p.properties();
            props.setProperty("caravan.ship.enabled", "false");
            props.setProperty("caravan.api.enabled", "true");
            props.setProperty("caravan.api.token-file", tokenFile.toString());
            props.setProperty("caravan.alert.source-indices", p.indices());
            props.setProperty("caravan.alert.index-prefix", "caravan-" + p.namespace);
            props.setProperty("caravan.alert.stats-replicas", "0");
            p.produce(p.topic, gen.records);
            p.start(props);

            p.awaitCount(10_000, Duration.ofMinutes(3));
            p.awaitAllCommitted(10_000, Duration.ofMinutes(1));
            assertThat(p.count()).isEqualTo(10_000);
            assertThat(p.terms("http.response.status_code")).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "200", 9126L, "304", 445L, "404", 213L, "301", 164L, "206", 45L, "500", 3L, "416", 2L, "403", 2L));
            assertThat(p.breaker().opens()).as("circuit opened").isZero();
            // Readiness names the engine and its version.
            var ready = HealthCheckRegistry.get(p.runtime().context()).getCheck("elasticsearch").orElseThrow().call();
            assertThat(ready.getState()).isEqualTo(org.apache.camel.health.HealthCheck.State.UP);
            assertThat(ready.getDetails()).containsEntry("version", engine().version());

            // The same records again (a re-ship: same sources and offsets, so the same ids).
            p.produce(p.topic, gen.records);
            assertThat(p.awaitAllCommitted(20_000, Duration.ofMinutes(3))).isEqualTo(20_000);
            assertThat(p.count()).isEqualTo(10_000);

            // /api/logs: a filter and a query string.
            JsonNode r = api(p, "/api/logs?status=500&size=50");
            assertThat(r.path("total").asLong()).isEqualTo(3);
            r.path("hits").forEach(h -> assertThat(h.path("_source").path("http").path("response")
                    .path("status_code").asInt()).isEqualTo(500));
            assertThat(api(p, "/api/logs?q=" + URLEncoder.encode("http.response.status_code:404", StandardCharsets.UTF_8)
                    + "&size=0").path("total").asLong()).isEqualTo(213);

            // caravan analyse over one day of the corpus: its windows' statistics add up to that day's lines.
            Path config = p.writeConfig(props, "analyse.properties");
            String out = p.caravan(config, "analyse", "--from", "2015-05-18T00:00:00Z", "--to", "2015-05-19T00:00:00Z");
            LOG.info("{}: analyse: {}", engine(), out.lines().reduce((a, b) -> b).orElse(""));
            assertThat(out).contains("Analysed 2015-05-18T00:00:00Z to 2015-05-19T00:00:00Z: ");
            long dayLines = corpus.stream().filter(l -> l.contains("[18/May/2015:")).count();
            assertThat(dayLines).isGreaterThan(1000);
            String stats = "caravan-" + p.namespace + "-stats-*";
            p.esClient().refresh(stats);
            JsonNode sum = p.esClient().call("POST", "/" + stats + "/_search",
                    "{\"size\":0,\"aggs\":{\"r\":{\"sum\":{\"field\":\"requests\"}}}}");
            assertThat(sum.at("/aggregations/r/value").asLong()).isEqualTo(dayLines);
        }
    }

    @Test
    void aMappingConflictIsDeadLetteredAndReplayedAfterTheFix() throws Exception {
        try (Pipeline p = new Pipeline(url)) {
            MappingConflictIT.installBrokenTemplate(p);
            Lines gen = new Lines("matrix-mapping", "mapping-" + p.id);
            int lines = 300;
            int withUser = MappingConflictIT.conflictingCorpus(gen, lines);
            p.produce(p.topic, gen.records);
            Properties props = p.properties();
            props.setProperty("caravan.ship.enabled", "false");
            p.start(props);
            p.awaitAllCommitted(lines, Duration.ofMinutes(2));
            assertThat(p.count()).isEqualTo(lines - withUser);
            List<ConsumerRecord<String, byte[]>> dlq = p.readAll(p.dlqTopic());
            assertThat(dlq).hasSize(withUser).allSatisfy(d -> {
                Map<String, String> h = DlqHeaders.read(d.headers());
                assertThat(h).containsEntry(DlqHeaders.STATUS, "400")
                        .containsEntry(DlqHeaders.EXCEPTION, "strict_dynamic_mapping_exception");
                assertThat(h.get(DlqHeaders.REASON)).contains("[user]");
            });

            MappingConflictIT.fixMapping(p);
            Path config = p.writeConfig(props, "replay.properties");
            assertThat(p.caravan(config, "replay", "--stage", "index"))
                    .contains(withUser + " dead letters read; replayed " + withUser + ", skipped 0, parked 0");
            p.awaitCount(lines, Duration.ofMinutes(1));
            assertThat(p.count()).isEqualTo(lines);
            assertThat(p.ids()).isEqualTo(gen.ids);
            MappingConflictIT.removeTemplate(p);
        }
    }

    private static JsonNode api(Pipeline p, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + p.httpPort + path)).header("Authorization", "Bearer " + TOKEN)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }
}
