package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.Metrics;
import caravan.parse.Corpus;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.camel.ServiceStatus;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Operating a running pipeline: the scrape, JMX, readiness, route reload. */
class OpsIT {
    private static final Path CORPUS = Corpus.COMBINED_10K;

    /** The value of the sample {@code name{...labels...}} in a Prometheus scrape, 0 when absent. */
    static double sample(String scrape, String name, String... labels) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(name + "{") || line.startsWith(name + " ")) {
                boolean all = true;
                for (String l : labels) {
                    all &= line.contains(l);
                }
                if (all) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
        }
        return 0;
    }

    @Test
    void theScrapeAndJmxCountWhatWasIndexedAndShippingCanBePaused() throws Exception {
        List<String> lines = Files.readAllLines(CORPUS, StandardCharsets.UTF_8);
        double processedBefore = Metrics.processed("parse", "apache.access").count();
        double failedBefore = Metrics.failed("parse", "apache.access").count();
        double deadBefore = Metrics.deadLettered("parse", "apache.access").count();
        double deliveredBefore = Metrics.deliverySeconds().count();
        try (Pipeline p = new Pipeline()) {
            Path log = p.dir.resolve("access.log");
            Files.write(log, lines.subList(0, 100), StandardCharsets.UTF_8);
            Files.writeString(log, "not an access line\nnor this\n", StandardOpenOption.APPEND);
            p.tailRoute("ops-metrics", log, "combined", p.dir.resolve("checkpoints"));
            Properties props = p.properties();
            props.setProperty("caravan.metrics.lag-interval-seconds", "1");
            p.start(props);
            p.awaitAllCommitted(102, Duration.ofMinutes(2));

            Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                String scrape = p.http("/observe/metrics").body();
                assertThat(sample(scrape, "caravan_logs_processed_total", "stage=\"parse\"", "dataset=\"apache.access\"")
                        - processedBefore).isEqualTo(100.0);
                assertThat(sample(scrape, "caravan_logs_failed_total", "stage=\"parse\"", "dataset=\"apache.access\"")
                        - failedBefore).isEqualTo(2.0);
                assertThat(sample(scrape, "caravan_kafka_consumer_lag", "topic=\"" + p.topic + "\"")).isZero();
                assertThat(scrape).contains("caravan_kafka_consumer_lag{partition=\"0\",topic=\"" + p.topic + "\"}");
                // The two bad lines are dead letters too, not only failures.
                assertThat(sample(scrape, "caravan_dlq_total", "stage=\"parse\"", "dataset=\"apache.access\"")
                        - deadBefore).isEqualTo(2.0);
                // Everything shipped: nothing of the file is behind its checkpoint.
                assertThat(scrape).contains("caravan_tail_lag_bytes{path=\"" + log + "\",source=\"ops-metrics\"} 0.0");
            });
            String scrape = p.http("/observe/metrics").body();
            assertThat(sample(scrape, "caravan_log_processing_seconds_count", "stage=\"parse\"", "dataset=\"apache.access\""))
                    .isGreaterThanOrEqualTo(100.0);
            // the series CaravanCheckpointWritesFailing watches (its failed outcome is CheckpointerTest's)
            assertThat(sample(scrape, "caravan_tail_checkpoint_writes_seconds_count", "outcome=\"ok\"", "source=\"ops-metrics\""))
                    .isPositive();
            // Caravan's part of freshness, one sample per created document (the 2 bad lines went to the DLQ)
            assertThat(sample(scrape, "caravan_log_delivery_seconds_count") - deliveredBefore).isEqualTo(100.0);
            assertThat(scrape).contains("caravan_log_delivery_seconds_bucket{", "caravan_index_consumer_held_seconds_count");
            assertThat(scrape).contains("caravan_log_processing_seconds_bucket{", "caravan_routes_reload_last_success 1",
                    "jvm_memory_used_bytes{", "process_cpu_usage", "system_cpu_count");
            assertThat(sample(scrape, "caravan_circuit_state", "name=\"elasticsearch\"")).isZero();
            assertThat(scrape).contains("caravan_circuit_state{name=\"elasticsearch\"} 0.0",
                    "caravan_kafka_consumer_paused");
            // The source route ships batches (one exchange for up to 500 lines): Camel counts exchanges.
            assertThat(sample(scrape, "camel_exchanges_total", "routeId=\"ops-metrics\"")).isGreaterThanOrEqualTo(1.0);

            // JMX: Caravan's bean and Camel's, in the platform MBean server (what jconsole shows).
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName bean = new ObjectName("caravan:type=Pipeline");
            assertThat((Double) jmx.getAttribute(bean, "LogsProcessed")).isGreaterThanOrEqualTo(100.0);
            assertThat((String[]) jmx.getAttribute(bean, "TailRoutes")).containsExactly("ops-metrics");
            Set<ObjectName> routes = jmx.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null);
            assertThat(routes.toString()).contains("ops-metrics", "index", "ship");

            jmx.invoke(bean, "pauseShipping", null, null);
            assertThat((Boolean) jmx.getAttribute(bean, "ShippingPaused")).isTrue();
            ServiceStatus paused = p.runtime().shipContext().getRouteController().getRouteStatus("ops-metrics");
            assertThat(paused).isIn(ServiceStatus.Suspended, ServiceStatus.Stopped);
            Files.write(log, lines.subList(100, 110), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Thread.sleep(2000);
            assertThat(p.topicLines()).isEqualTo(102);

            jmx.invoke(bean, "resumeShipping", null, null);
            p.awaitAllCommitted(112, Duration.ofMinutes(1));
            assertThat(p.count()).isEqualTo(110);
        }
    }

    @Test
    void tailLagAndThrottleDelayShowInTheScrapeWhileShippingIsHeldBack() throws Exception {
        List<String> lines = Files.readAllLines(CORPUS, StandardCharsets.UTF_8).subList(0, 400);
        try (Pipeline p = new Pipeline()) {
            Path log = p.dir.resolve("slow.log");
            Files.write(log, lines, StandardCharsets.UTF_8);
            long size = Files.size(log);
            p.tailRoute("ops-lag", log, "combined", p.dir.resolve("checkpoints"));
            Properties props = p.properties();
            props.setProperty("caravan.ship.throttle.per-second", "50"); // 400 lines take about 8 s
            p.start(props);
            String series = "caravan_tail_lag_bytes{path=\"" + log + "\",source=\"ops-lag\"}";
            // While the throttle holds the tailer back, the lag is part of the file, and shrinks.
            double[] first = {-1};
            Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                String scrape = p.http("/observe/metrics").body();
                assertThat(scrape).contains(series);
                double lag = sample(scrape, "caravan_tail_lag_bytes", "source=\"ops-lag\"");
                assertThat(lag).isPositive().isLessThanOrEqualTo(size);
                if (first[0] < 0) {
                    first[0] = lag;
                }
                assertThat(lag).isLessThan(first[0]);
            });
            p.awaitAllCommitted(lines.size(), Duration.ofMinutes(1));
            Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                String scrape = p.http("/observe/metrics").body();
                assertThat(sample(scrape, "caravan_tail_lag_bytes", "source=\"ops-lag\"")).isZero();
                // Most batches waited for their permits, and the wait is on record. Throttled at 50 lines/s,
                // the route gets batches of a tenth of a second's permits: 5 lines, 80 exchanges.
                assertThat(sample(scrape, "caravan_throttle_delay_seconds_count", "route=\"ship\""))
                        .isGreaterThan(lines.size() / 5 / 2.0);
                assertThat(sample(scrape, "caravan_throttle_delay_seconds_sum", "route=\"ship\"")).isGreaterThan(1.0);
            });
            assertThat(p.count()).isEqualTo(lines.size());
        }
    }

    @Test
    void readinessFollowsElasticsearch() throws Exception {
        try (Pipeline p = new Pipeline()) {
            p.start(p.properties());
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> p.http("/observe/health/ready").statusCode() == 200);
            assertThat(p.http("/observe/health/live").statusCode()).isEqualTo(200);
            try {
                p.stack.stopElasticsearch();
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                        .until(() -> p.http("/observe/health/ready").statusCode() == 503);
                assertThat(p.http("/observe/health/ready").body()).contains("elasticsearch");
                // Alive all the same: a restart would not bring Elasticsearch back.
                assertThat(p.http("/observe/health/live").statusCode()).isEqualTo(200);
            } finally {
                p.stack.startElasticsearch(); // waits until it is yellow; other tests share it
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> p.http("/observe/health/ready").statusCode() == 200);
        }
    }

    @Test
    void aBrokenRouteEditKeepsTheOldRouteAndAGoodOneTakesOver() throws Exception {
        List<String> lines = Files.readAllLines(CORPUS, StandardCharsets.UTF_8);
        try (Pipeline p = new Pipeline()) {
            Path first = p.dir.resolve("first.log");
            Path second = p.dir.resolve("second.log");
            Files.write(first, lines.subList(0, 10), StandardCharsets.UTF_8);
            Files.write(second, lines.subList(100, 120), StandardCharsets.UTF_8);
            p.tailRoute("ops-reload", first, "combined", p.dir.resolve("checkpoints"));
            p.start(p.properties());
            p.awaitCount(10, Duration.ofMinutes(2));

            double failuresBefore = Metrics.routesReloadFailures().count();
            p.tailRoute("ops-reload", second, "combnied", p.dir.resolve("checkpoints")); // a typo
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Metrics.routesReloadFailures().count() == failuresBefore + 1);
            String scrape = p.http("/observe/metrics").body();
            assertThat(scrape).contains("caravan_routes_reload_last_success 0");
            // The old route still follows the first file.
            Files.write(first, lines.subList(10, 15), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            p.awaitCount(15, Duration.ofMinutes(1));

            long start = System.nanoTime();
            p.tailRoute("ops-reload", second, "combined", p.dir.resolve("checkpoints"));
            p.awaitCount(35, Duration.ofSeconds(30));
            System.out.printf("valid edit took over and was indexed in %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertThat(p.count()).isEqualTo(35);
            assertThat(Metrics.routesReloadLastResult()).isEqualTo(1);

            // A removed file stops its route.
            Files.delete(p.routes.resolve("ops-reload.yaml"));
            Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> p.runtime().shipContext().getRoute("ops-reload") == null);
        }
    }
}
