package caravan.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

/**
 * Caravan's own meters, named as DESIGN.md lists them (Prometheus adds {@code _total} and
 * {@code _seconds}). They live in Micrometer's global registry, which the Prometheus endpoint and
 * JMX read.
 */
public final class Metrics {
    private Metrics() {
    }

    public static MeterRegistry registry() {
        return io.micrometer.core.instrument.Metrics.globalRegistry;
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

    /**
     * A gauge whose value comes from the latest supplier given for its name and tags. Micrometer
     * keeps the first registration of a gauge, so a runtime started again in the same JVM (tests,
     * a reload) swaps the supplier here instead of registering a second, stale gauge.
     */
    private static final Map<String, AtomicReference<DoubleSupplier>> GAUGES = new ConcurrentHashMap<>();

    private static void gauge(String name, String description, DoubleSupplier value, String... tags) {
        String key = name + String.join(",", tags);
        AtomicReference<DoubleSupplier> holder = GAUGES.computeIfAbsent(key, k -> {
            AtomicReference<DoubleSupplier> h = new AtomicReference<>();
            Gauge.builder(name, h, r -> r.get() == null ? Double.NaN : r.get().getAsDouble())
                    .description(description).tags(tags).strongReference(true).register(registry());
            return h;
        });
        holder.set(value);
    }

    /** {@code caravan.circuit.state}: 0 closed, 1 open, 2 half-open. */
    public static void circuitState(String name, DoubleSupplier state) {
        gauge("caravan.circuit.state", "Circuit breaker state: 0 closed, 1 open, 2 half-open", state, "name", name);
    }

    /** {@code caravan.kafka.consumer.paused}: 1 while the index route holds its partitions paused. */
    public static void consumerPaused(DoubleSupplier paused) {
        gauge("caravan.kafka.consumer.paused", "1 while the indexer's Kafka consumer is paused", paused);
    }

    /** Records sent to the dead-letter topic. */
    public static Counter deadLettered(String stage, String dataset) {
        return Counter.builder("caravan.dlq").description("Records sent to the dead-letter topic")
                .tag("stage", stage).tag("dataset", dataset == null ? "unknown" : dataset).register(registry());
    }

    /** Time an exchange waited in a route's throttle (ship: per line; index: per batch). */
    public static Timer throttleDelay(String route) {
        return Timer.builder("caravan.throttle.delay").description("Time spent waiting in the throttle")
                .tag("route", route).register(registry());
    }
}
