package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.devstack.Engine;
import caravan.index.ElasticsearchHealthCheck;
import caravan.common.Metrics;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The engine matrix on Elasticsearch 8.19 ({@link EngineMatrix}), and start-up there: with
 * elasticsearch-java 9 every bulk request got {@code media_type_header_exception}, counted as an
 * outage, and the consumer paused for ever while {@code GET /} still said the node was up.
 */
class Elasticsearch8MatrixIT extends EngineMatrix {
    @Override
    Engine engine() {
        return Engine.ELASTICSEARCH_8;
    }

    @Test
    void startUpIndexesAtOnceAndNeverOpensTheCircuit() throws Exception {
        try (Pipeline p = new Pipeline(url)) {
            Lines gen = new Lines("es8-start", "start-" + p.id).corpusLines(100);
            p.produce(p.topic, gen.records);
            Properties props = p.properties();
            props.setProperty("caravan.ship.enabled", "false");
            p.start(props);
            // Well under the breaker's open time plus a probe: a stall cannot pass this.
            p.awaitCount(100, Duration.ofSeconds(30));
            assertThat(p.breaker().opens()).isZero();
            assertThat(p.health()).isEqualTo(HealthCheck.State.UP);
        }
    }

    @Test
    void aRequestTheEngineRefusesIsNoOutageButSaysWhatToChange() throws Exception {
        double before = Metrics.elasticsearchErrors("refused_bad_request").count();
        try (Pipeline p = new Pipeline(url)) {
            Lines gen = new Lines("es8-refused", "refused-" + p.id).corpusLines(20);
            p.produce(p.topic, gen.records);
            Properties props = p.properties();
            props.setProperty("caravan.ship.enabled", "false");
            // Not a time value: the engine refuses the template (400), as it would refuse any bad request.
            props.setProperty("caravan.index.template.refresh", "now-and-then");
            props.setProperty("caravan.index.refused-retry-ms", "1000");
            p.start(props);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> p.health() == HealthCheck.State.DOWN);
            var result = HealthCheckRegistry.get(p.runtime().context()).getCheck(ElasticsearchHealthCheck.ID)
                    .orElseThrow().call();
            assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m)
                    .contains("refused with 400").contains("caravan.index.template"));
            assertThat(result.getDetails()).containsEntry("refused", "bad_request");
            Thread.sleep(3_000); // a few retries
            assertThat(p.breaker().opens()).as("a refusal is not an outage").isZero();
            assertThat(p.topicRecords(p.dlqTopic())).as("nothing dead-lettered").isZero();
            assertThat(p.committed()).as("nothing committed").isZero();
            assertThat(Metrics.elasticsearchErrors("refused_bad_request").count() - before).isGreaterThanOrEqualTo(2);
        }
    }
}
