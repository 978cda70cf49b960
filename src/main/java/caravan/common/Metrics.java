package caravan.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

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

    private static final AtomicInteger RELOAD_LAST_OK = new AtomicInteger(1);
    private static final Map<String, AtomicLong> LAG = new ConcurrentHashMap<>();

    static {
        io.micrometer.core.instrument.Metrics.globalRegistry.add(PROMETHEUS);
        // JVM and process meters go straight to the scraped registry: they describe this process,
        // whichever registries a library adds to the global one.
        new JvmMemoryMetrics().bindTo(PROMETHEUS);
        new JvmThreadMetrics().bindTo(PROMETHEUS);
        new ClassLoaderMetrics().bindTo(PROMETHEUS);
        new ProcessorMetrics().bindTo(PROMETHEUS);
        new UptimeMetrics().bindTo(PROMETHEUS);
        new FileDescriptorMetrics().bindTo(PROMETHEUS);
        @SuppressWarnings("resource") // lives as long as the process, like the registry
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(PROMETHEUS);
        Gauge.builder("caravan.routes.reload.last.success", RELOAD_LAST_OK, AtomicInteger::get)
                .description("1 when the last route file reload (or the start-up load) succeeded, 0 when it was refused")
                .register(registry());
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

    /** Time of one Elasticsearch _bulk request, answered or failed (caravan_elasticsearch_bulk_seconds). */
    public static Timer bulkSeconds() {
        return latency("caravan.elasticsearch.bulk", "Time of one _bulk request", 60);
    }

    /**
     * Caravan's part of freshness, per document (caravan_log_delivery_seconds): from the shipper
     * reading its line ({@code event.created}) to the search engine acknowledging it as created.
     */
    public static Timer deliverySeconds() {
        return latency("caravan.log.delivery",
                "From the shipper reading a line to the search engine acknowledging its document", 120);
    }

    /**
     * Back-pressure on the indexer (caravan_index_consumer_held_seconds): how long the Kafka consumer,
     * its window of batches full, waited for the oldest batch to finish before it could poll again.
     */
    public static Timer consumerHeldSeconds() {
        return latency("caravan.index.consumer.held",
                "Time the indexer's Kafka consumer waited for its oldest batch in flight before polling again", 120);
    }

    /** A histogram of waits from 1 ms to {@code maxSeconds}, for Prometheus' histogram_quantile. */
    private static Timer latency(String name, String description, int maxSeconds) {
        return Timer.builder(name).description(description)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(maxSeconds))
                .register(registry());
    }

    /** Route files refused on reload (the running routes were kept). */
    public static Counter routesReloadFailures() {
        return Counter.builder("caravan.routes.reload.failures")
                .description("Route file loads refused because the file did not parse or validate")
                .register(registry());
    }

    public static void routesReloadResult(boolean ok) {
        RELOAD_LAST_OK.set(ok ? 1 : 0);
    }

    public static int routesReloadLastResult() {
        return RELOAD_LAST_OK.get();
    }

    /** Sets the indexer group's lag on one partition: records on the topic not yet committed. */
    public static void consumerLag(String topic, int partition, long lag) {
        LAG.computeIfAbsent(topic + "/" + partition, k -> {
            AtomicLong v = new AtomicLong();
            Gauge.builder("caravan.kafka.consumer.lag", v, AtomicLong::get)
                    .description("Records on logs-raw not yet committed by the indexer group")
                    .tag("topic", topic).tag("partition", Integer.toString(partition))
                    .register(registry());
            return v;
        }).set(lag);
    }

    /** A gauge's value by name, or NaN when no such gauge is registered (e.g. another branch's feature is off). */
    public static double gaugeValue(String name) {
        Gauge g = registry().find(name).gauge();
        return g == null ? Double.NaN : g.value();
    }

    /** The sum of a counter over all its tags, 0 when it has never been used. */
    public static double counterTotal(String name) {
        return registry().find(name).counters().stream().mapToDouble(Counter::count).sum();
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

    /**
     * {@code caravan.enrich.rules.refused{enricher}}: 1 while the enricher's rule files on disk hold
     * an edit that was refused (the rules loaded before stay in force), else 0.
     */
    public static void enrichRulesRefused(String enricher, DoubleSupplier refused) {
        gauge(ENRICH_RULES_REFUSED, "1 while an edit of the enricher's rule files is refused and the previous rules run", refused,
                "enricher", enricher);
    }

    public static final String ENRICH_RULES_REFUSED = "caravan.enrich.rules.refused";

    /** The enrichers whose rule-file edit is refused now (see {@link #enrichRulesRefused}). */
    public static java.util.List<String> enrichRulesRefused() {
        return registry().find(ENRICH_RULES_REFUSED).gauges().stream().filter(g -> g.value() >= 1)
                .map(g -> g.getId().getTag("enricher")).sorted().toList();
    }

    /** {@code caravan.kafka.consumer.paused}: 1 while the index route holds its partitions paused. */
    public static void consumerPaused(DoubleSupplier paused) {
        gauge("caravan.kafka.consumer.paused", "1 while the indexer's Kafka consumer is paused", paused);
    }

    /**
     * {@code caravan_stats_<name>{dataset}}: a number from the latest evaluated statistics window of
     * a dataset (requests, errors, error_rate, ...), set by the analyser.
     */
    public static void stats(String name, String dataset, double value) {
        gauge("caravan.stats." + name, "Latest statistics window of a dataset: " + name.replace('.', ' '),
                () -> value, "dataset", dataset);
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
