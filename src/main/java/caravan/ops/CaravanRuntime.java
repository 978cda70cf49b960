package caravan.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.elasticsearch.client.RestClient;

/**
 * One Caravan process: the ship half, the index half, or both, each a camel-main context of its own
 * ({@link PipelineHalf}), sharing the settings, the Kafka admin client and the metrics registry.
 *
 * <p>With both halves ({@code caravan run}) the ship half starts first: nothing on the ship path
 * waits for the enrichers, the search client, the HTTP server or the API (the index half's start
 * took 2-3 s of the 4 s to the first line on Kafka in one context). It also stops first, so the
 * tail routes save their checkpoints before the indexer drains.
 *
 * <p>Settings come, in rising order of precedence, from the jar's defaults, the operator's
 * {@code application.properties}, extra properties given by the caller, and the environment
 * ({@code CARAVAN_KAFKA_BROKERS} overrides {@code caravan.kafka.brokers}).
 */
public final class CaravanRuntime implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CaravanRuntime.class);
    private final Settings settings;
    private final KafkaAdmin kafkaAdmin;
    /** The halves in start order: ship before index. */
    private final java.util.List<PipelineHalf> halves = new java.util.ArrayList<>();
    private final java.util.concurrent.CountDownLatch stopRequested = new java.util.concurrent.CountDownLatch(1);
    private boolean closed;

    /**
     * @param config the operator's properties file, or null for none
     * @param extra  properties that win over the file (the demo and tests set servers here)
     */
    public CaravanRuntime(Path config, Properties extra) {
        this(config, extra, System.getenv());
    }

    /** @param env the environment to read {@code CARAVAN_*} settings from (tests pass their own) */
    CaravanRuntime(Path config, Properties extra, java.util.Map<String, String> env) {
        String locations = "classpath:application.properties";
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("configuration file " + config + " does not exist: "
                        + "pass an existing file with --config, or leave it out to use the defaults");
            }
            // Camel takes a key from the first location that has it: the operator's file goes first.
            locations = "file:" + config.toAbsolutePath() + "," + locations;
        }
        // Refuses to start on an unknown key or a bad value, naming the key and the fix.
        settings = Settings.load(config, extra, env);
        boolean shipping = Boolean.parseBoolean(settings.get("caravan.ship.enabled"));
        boolean indexing = settings.index().enabled();
        if (!shipping && !indexing) {
            throw new IllegalArgumentException("caravan.ship.enabled and caravan.index.enabled are both false: "
                    + "nothing to run; set one of them to true");
        }
        kafkaAdmin = new KafkaAdmin(KafkaClients.connection(settings::value));
        PipelineHalf ship = shipping
                ? new PipelineHalf(PipelineHalf.Kind.SHIP, settings, locations, extra, kafkaAdmin, null, !indexing)
                : null;
        if (ship != null) {
            halves.add(ship);
        }
        if (indexing) {
            halves.add(new PipelineHalf(PipelineHalf.Kind.INDEX, settings, locations, extra, kafkaAdmin, ship, ship == null));
        }
    }

    /**
     * Where the HTTP server really listens: the port the socket got (port 0 asks for any free one),
     * not the one configured; the configured address if the server cannot be asked.
     */
    static String boundAddress(CamelContext ctx) {
        var server = ctx.hasService(org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer.class);
        String host = ctx.resolvePropertyPlaceholders("{{caravan.http.host}}");
        if (server != null && server.getServer() != null && server.getServer().actualPort() > 0) {
            return (server.getHost() != null ? server.getHost() : host) + ":" + server.getServer().actualPort();
        }
        return host + ":" + ctx.resolvePropertyPlaceholders("{{caravan.http.port}}");
    }

    /** The start-up warning about {@code CARAVAN_*} variables that name no setting, or null. */
    public String environmentWarning() {
        return settings.environmentWarning();
    }

    /** The admin client of this process (health, lag), with the configured security. */
    KafkaAdmin kafkaAdmin() {
        return kafkaAdmin;
    }

    /** Adds Java routes to the ship half before {@link #start()} (the {@code file} command's one-shot sources). */
    public CaravanRuntime addRoutes(org.apache.camel.RoutesBuilder routes) {
        half(PipelineHalf.Kind.SHIP).addRoutes(routes);
        return this;
    }

    /** Starts the halves, ship first, and returns once both run; {@link #close()} stops them. */
    public CaravanRuntime start() throws Exception {
        long t0 = System.nanoTime();
        try {
            for (PipelineHalf h : halves) {
                h.start();
                if (halves.size() > 1 && h.kind() == PipelineHalf.Kind.SHIP) {
                    if (settings.enrich().useragent()) {
                        // The first document waits for these matchers: start them before the index half's context.
                        // Not before the ship half: on two cores that cost its first line 0.3-0.6 s (BENCHMARKS.md "Start-up").
                        caravan.enrich.ua.UserAgentEnricher.prepare();
                    }
                    LOG.info("Ship half started in {} ms: routes {}", (System.nanoTime() - t0) / 1_000_000,
                            h.routeIds().stream().sorted().toList());
                }
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        String http = halves.get(halves.size() - 1).httpAddress();
        LOG.info("Caravan started: routes {}{}",
                halves.stream().flatMap(h -> h.routeIds().stream()).sorted().toList(),
                http != null ? "; metrics, health" + (settings.api().enabled() ? " and API" : "") + " on http://" + http
                        + "/observe/{metrics,health}" + (settings.api().enabled() ? ", /api" : "") : "");
        return this;
    }

    /**
     * Starts and blocks until the process is asked to stop (SIGTERM, Ctrl-C), then stops gracefully:
     * the tail routes stop first (saving checkpoints), in-flight batches finish and commit their
     * offsets, for at most {@code caravan.shutdown.timeout-seconds}; then returns, so the process
     * exits 0.
     */
    public void runUntilStopped() throws Exception {
        if (!Signals.onTerminate(this::requestStop)) {
            // No signal handling here: the JVM's shutdown still stops the halves in order.
            Runtime.getRuntime().addShutdownHook(new Thread(this::close, "caravan-shutdown"));
        }
        start();
        stopRequested.await();
        close();
    }

    private void requestStop() {
        LOG.info("stop requested: draining in-flight batches, saving checkpoints");
        stopRequested.countDown();
    }

    /** The index half's context (its registry, health and HTTP server), or the ship half's in a ship-only process. */
    public CamelContext context() {
        return halves.get(halves.size() - 1).context();
    }

    /** The ship half's context: the source routes and {@code direct:ship}. */
    public CamelContext shipContext() {
        return half(PipelineHalf.Kind.SHIP).context();
    }

    private PipelineHalf half(PipelineHalf.Kind kind) {
        return halves.stream().filter(h -> h.kind() == kind).findFirst()
                .orElseThrow(() -> new IllegalStateException("this process runs no " + kind.name().toLowerCase(java.util.Locale.ROOT)
                        + " half (caravan." + kind.name().toLowerCase(java.util.Locale.ROOT) + ".enabled=false)"));
    }

    public RestClient elasticsearch() {
        return halves.get(halves.size() - 1).elasticsearch();
    }

    /** Stops the ship half, then the index half, then the shared clients; a second call does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopRequested.countDown();
        for (PipelineHalf h : halves) {
            h.close();
        }
        kafkaAdmin.close();
    }
}
