package caravan.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;

/**
 * Caravan's own meters, named as DESIGN.md lists them (Prometheus adds {@code _total} and
 * {@code _seconds}). They live in Micrometer's global registry, which the Prometheus endpoint and
 * JMX read.
 */
public final class Metrics {
    /**
     * The registry the Prometheus endpoint scrapes. It is added to Micrometer's global registry,
     * which without a member would hand out meters that count nothing.
     */
    private static final PrometheusMeterRegistry PROMETHEUS = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    static {
        io.micrometer.core.instrument.Metrics.globalRegistry.add(PROMETHEUS);
    }

    private Metrics() {
    }

    public static MeterRegistry registry() {
        return io.micrometer.core.instrument.Metrics.globalRegistry;
    }

    public static PrometheusMeterRegistry prometheus() {
        return PROMETHEUS;
    }

    public static Counter processed(String stage, String dataset) {
        return Counter.builder("caravan.logs.processed").description("Events that passed a stage")
                .tag("stage", stage).tag("dataset", dataset).register(registry());
    }

    public static Counter failed(String stage, String dataset) {
        return Counter.builder("caravan.logs.failed").description("Events that failed a stage")
                .tag("stage", stage).tag("dataset", dataset).register(registry());
    }

    public static Counter elasticsearchErrors(String kind) {
        return Counter.builder("caravan.elasticsearch.errors").description("Elasticsearch item or request errors")
                .tag("kind", kind).register(registry());
    }

    public static Timer processingSeconds(String stage, String dataset) {
        return Timer.builder("caravan.log.processing").description("Time spent on one event in a stage")
                .tag("stage", stage).tag("dataset", dataset)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(500))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry());
    }
}
