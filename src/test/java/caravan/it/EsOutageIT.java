package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.Metrics;
import caravan.index.ElasticsearchBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Counter;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.health.HealthCheck;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 6, case 1: Elasticsearch stops in the middle of a run and comes back with its data. The
 * circuit opens, the consumer pauses (consumption stops, nothing is committed, nothing is
 * dead-lettered), and after the restart every line is indexed exactly once.
 *
 * <p>Default: 100,000 lines, 30 s outage. {@code -Dcaravan.it.quick=true}: 20,000 lines, 20 s.
 */
class EsOutageIT {
    private static final Logger LOG = LoggerFactory.getLogger(EsOutageIT.class);

    @Test
    void elasticsearchDownPausesConsumptionAndLosesNothing() throws Exception {
        int lines = ItSizes.get("outage.lines", 20_000, 100_000);
        int outageSeconds = ItSizes.get("outage.seconds", 20, 30);
        try (Pipeline p = new Pipeline()) {
            p.createTopic(3);
            Lines gen = new Lines("outage-host", "outage-" + p.id, 6).corpusLines(lines);
            p.produce(p.topic, gen.records);
            Properties props = p.properties();
            props.setProperty("caravan.ship.enabled", "false");
            props.setProperty("caravan.index.breaker.open-ms", "2000");
            props.setProperty("caravan.index.retry.max-ms", "5000");
            // Small batches, so the outage lands mid-run with plenty still unconsumed.
            props.setProperty("caravan.index.batch.records", "500");
            p.start(props);
            Counter parsed = Metrics.processed("parse", "apache.access");

            p.awaitCount(lines / 4, Duration.ofMinutes(3));
            long stopAt = System.nanoTime();
            p.stack.stopElasticsearch();
            LOG.info("Elasticsearch stopped with {} of {} lines committed", p.committed(), lines);

            // The circuit opens, the health check says so, and the consumer pauses.
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                    .until(() -> p.breaker().isOpen());
            double openedAfter = (System.nanoTime() - stopAt) / 1e9;
            assertThat(gauge()).isEqualTo(1.0);
            assertThat(p.health()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(p.consumerControl().isPaused()).isTrue();

            // Consumption stops: while the outage lasts, nothing more is parsed or committed, and
            // the circuit keeps probing (open → half-open → open) without a DLQ record.
            long committedWhileDown = p.committed();
            double parsedWhileDown = parsed.count();
            long remaining = Math.max(5, outageSeconds - (long) openedAfter);
            Thread.sleep(remaining * 1000);
            assertThat(p.committed()).isEqualTo(committedWhileDown);
            assertThat(parsed.count()).isEqualTo(parsedWhileDown);
            assertThat(p.consumerControl().isPaused()).isTrue();
            assertThat(p.breaker().state()).isIn(CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN);
            assertThat(p.topicRecords(p.dlqTopic())).isZero();
            assertThat(committedWhileDown).isLessThan(lines);

            double downFor = (System.nanoTime() - stopAt) / 1e9;
            p.stack.startElasticsearch();
            double restartTook = (System.nanoTime() - stopAt) / 1e9 - downFor;
            long recovering = System.nanoTime();
            p.awaitAllCommitted(lines, Duration.ofMinutes(5));
            double drainTook = (System.nanoTime() - recovering) / 1e9;

            assertThat(p.count()).isEqualTo(lines);
            assertThat(p.ids()).isEqualTo(gen.ids);
            assertThat(p.topicRecords(p.dlqTopic())).isZero();
            assertThat(p.breaker().state()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(gauge()).isZero();
            assertThat(p.health()).isEqualTo(HealthCheck.State.UP);
            assertThat(p.consumerControl().isPaused()).isFalse();
            LOG.info("ES outage: {} lines; ES down {} s (restart took {} s more); circuit opened {} s after the stop "
                            + "and stayed open (not closed) {} ms; consumer paused {} ms in total; drained in {} s after "
                            + "the restart; count {} = lines, ids identical, lost 0, duplicates 0, DLQ 0",
                    lines, String.format("%.1f", downFor), String.format("%.1f", restartTook),
                    String.format("%.1f", openedAfter), p.breaker().lastOpenDuration().toMillis(),
                    p.consumerControl().pausedTotal().toMillis(), String.format("%.1f", drainTook), p.count());
        }
    }

    private static double gauge() {
        return Metrics.registry().get("caravan.circuit.state").tag("name", ElasticsearchBreaker.NAME).gauge().value();
    }
}
