package caravan.ops;

import caravan.common.Metrics;
import caravan.enrich.chain.Enrichers;
import caravan.index.IndexRoute;
import caravan.index.IndexSettings;
import caravan.index.IndexTemplates;
import caravan.parse.Parsers;
import caravan.search.ElasticsearchClients;
import caravan.ship.ShipRoute;
import caravan.ship.tail.TailMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.elasticsearch.client.RestClient;

/**
 * One Caravan process: camel-main with the Java routes (ship, index), the YAML source routes, and
 * the shared Elasticsearch client.
 *
 * <p>Settings come, in rising order of precedence, from the jar's defaults, the operator's
 * {@code application.properties}, extra properties given by the caller, and the environment
 * ({@code CARAVAN_KAFKA_BROKERS} overrides {@code caravan.kafka.brokers}).
 */
public final class CaravanRuntime implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CaravanRuntime.class);
    private final Main main = new Main();
    private final Settings settings;
    private RestClient esClient;
    private caravan.search.SearchCluster searchCluster;
    private RouteReloader reloader;
    private KafkaAdmin kafkaAdmin;
    private PipelineControl control;
    private ScheduledExecutorService timer;
    private ObserveServer observe;

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
        main.setPropertyPlaceholderLocations(locations);
        if (extra != null && !extra.isEmpty()) {
            Properties copy = new Properties(); // a copy: the ship-only override below must not change the caller's
            copy.putAll(extra);
            main.setOverrideProperties(copy);
        }
        main.configure().addRoutesBuilder(new ShipRoute(settings.ship(), Parsers::datasetOf));
        main.configure().addRoutesBuilder(new caravan.ship.FileImportRoute());
        // A ship-only process (caravan ship, the agent on every web server) loads nothing of the index
        // side: no search client, no index, alert, schedule or API routes (measured in BENCHMARKS.md "Memory").
        boolean indexing = settings.index().enabled();
        if (indexing) {
            main.configure().addRoutesBuilder(new IndexRoute(settings.index(), () -> Enrichers.build(settings.enrich(), settings::value)));
            main.configure().addRoutesBuilder(new ScheduleRoute(settings));
            main.configure().addRoutesBuilder(new caravan.alert.AnalyseRoute(settings.analysing(), settings.alert(), settings.notifiers()));
            main.configure().addRoutesBuilder(new caravan.api.ApiRoutes(settings.api()));
        } else {
            // /observe from the JDK's HTTP server instead of Camel's Vert.x one (ObserveServer says why).
            main.addOverrideProperty("camel.management.enabled", "false");
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                // Camel's route meters and Caravan's own in one registry, so one scrape has both.
                m.getCamelContext().getRegistry().bind("metricsRegistry", Metrics.prometheus());
                // tail:'s meters in Caravan's registry (autowired into the component's metricsFactory)
                m.getCamelContext().getRegistry().bind("caravanTailMetrics", TailMetrics.micrometer(Metrics.registry()));
                wireKafka(m.getCamelContext());
                if (indexing) {
                    wireElasticsearch(m.getCamelContext());
                }
                caravan.ship.tail.TailComponent tail = m.getCamelContext().getComponent("tail", caravan.ship.tail.TailComponent.class);
                // A stable host.name (it is part of every document id): a container's name changes on re-create.
                tail.setHost(m.getCamelContext().resolvePropertyPlaceholders("{{caravan.host.name}}"));
                tail.setCopyWindow(settings.ship().tailCopyWindowMs());
            }

            @Override
            public void afterConfigure(BaseMainSupport m) {
                wireOperations(m.getCamelContext());
                // A startup listener, not MainListener.afterStart: that one only fires under Main.run().
                try {
                    m.getCamelContext().addStartupListener(new ExtendedStartupListener() {
                        @Override
                        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                            // wait for fully started: the routes must be running before they are watched
                        }

                        @Override
                        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                            startOperations(context);
                        }
                    });
                } catch (Exception e) {
                    throw new IllegalStateException("cannot hook the operations start", e);
                }
            }

            @Override
            public void beforeStop(BaseMainSupport m) {
                stopOperations();
            }
        });
    }

    /** Before start: the YAML source routes, the health checks, the JMX bean. */
    private void wireOperations(CamelContext ctx) {
        Path routes = Path.of(settings.get("caravan.routes.dir"));
        if (Boolean.parseBoolean(settings.get("caravan.ship.enabled"))) {
            reloader = new RouteReloader(ctx, routes);
            reloader.loadAll();
        } else {
            // caravan index: its sources belong to the shipper. Loaded here, their tail: routes read
            // files with nowhere to ship and held the checkpoint lock every other process on the host needs.
            LOG.info("Ship half off (caravan.ship.enabled=false): the source routes in {} are not loaded", routes);
        }
        kafkaAdmin = new KafkaAdmin(KafkaClients.connection(settings::value));
        boolean indexing = Boolean.parseBoolean(settings.get("caravan.index.enabled"));
        HealthCheckRegistry health = HealthCheckRegistry.get(ctx);
        health.register(PipelineHealth.kafka(kafkaAdmin, settings.get("caravan.index.group"), indexing));
        if (reloader != null) {
            health.register(PipelineHealth.sources(reloader));
        }
        if (indexing) {
            health.register(PipelineHealth.elasticsearch(searchCluster));
            health.register(PipelineHealth.circuit());
            health.register(PipelineHealth.geoip());
            health.register(PipelineHealth.enrichRules());
        }
        if (!indexing && Boolean.parseBoolean(settings.get("caravan.http.enabled"))) {
            observe = new ObserveServer(ctx, Metrics.prometheus(), settings.get("caravan.http.host"),
                    Integer.parseInt(settings.get("caravan.http.port")));
            try {
                ctx.addService(observe, true, true);
            } catch (Exception e) {
                throw new IllegalStateException("cannot add the /observe server", e);
            }
        }
        control = new PipelineControl(ctx);
        try {
            control.register();
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the " + PipelineControl.OBJECT_NAME + " MBean", e);
        }
    }

    /** After start: route file watching, the lag gauge, the periodic health summary. */
    private synchronized void startOperations(CamelContext ctx) {
        if (reloader != null && Boolean.parseBoolean(settings.get("caravan.routes.reload"))) {
            reloader.watch(Long.parseLong(settings.get("caravan.routes.reload-interval-ms")));
        }
        timer = ctx.getExecutorServiceManager().newScheduledThreadPool(this, "caravan-ops", 1);
        if (Boolean.parseBoolean(settings.get("caravan.index.enabled"))) {
            long every = Long.parseLong(settings.get("caravan.metrics.lag-interval-seconds"));
            timer.scheduleWithFixedDelay(new ConsumerLag(kafkaAdmin,
                    settings.get("caravan.index.group"),
                    settings.get("caravan.kafka.topic.raw")), 1, every, TimeUnit.SECONDS);
        }
        org.slf4j.LoggerFactory.getLogger(CaravanRuntime.class).info("Caravan started: routes {}{}",
                ctx.getRoutes().stream().map(org.apache.camel.Route::getRouteId).sorted().toList(),
                Boolean.parseBoolean(settings.get("caravan.http.enabled"))
                        ? "; metrics, health" + (settings.api().enabled() ? " and API" : "") + " on http://"
                                + (observe != null ? observe.address() : boundAddress(ctx)) + "/observe/{metrics,health}" + (settings.api().enabled() ? ", /api" : "")
                        : "");
        long summary = Long.parseLong(settings.get("caravan.health.summary-seconds"));
        if (summary > 0) {
            timer.scheduleWithFixedDelay(new HealthSummary(ctx), summary, summary, TimeUnit.SECONDS);
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

    private synchronized void stopOperations() {
        if (reloader != null) {
            reloader.stop();
        }
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
        if (control != null) {
            control.unregister();
        }
    }

    /** The start-up warning about {@code CARAVAN_*} variables that name no setting, or null. */
    public String environmentWarning() {
        return settings.environmentWarning();
    }

    /**
     * The security block on the camel kafka component, before any endpoint copies its configuration:
     * the ship producer, the index consumer and the DLQ publisher all get it.
     */
    private void wireKafka(CamelContext ctx) {
        ctx.getComponent("kafka", KafkaComponent.class).getConfiguration()
                .setAdditionalProperties(new java.util.HashMap<>(KafkaClients.security(settings::value)));
    }

    /** The admin client of this process (health, lag), with the configured security. */
    KafkaAdmin kafkaAdmin() {
        return kafkaAdmin;
    }

    private void wireElasticsearch(CamelContext ctx) {
        esClient = ElasticsearchClients.fromSettings(k -> ctx.resolvePropertyPlaceholders("{{" + k + "}}"));
        searchCluster = new caravan.search.SearchCluster(esClient);
        ctx.getRegistry().bind("caravanElasticsearchClient", esClient);
        ctx.getRegistry().bind("caravanSearchCluster", searchCluster);
        IndexSettings index = settings.index();
        var lifecycle = new caravan.index.IndexLifecycle(searchCluster, IndexTemplates.NAME, index.retention(),
                index.templatePattern(), index.templatePriority());
        ctx.getRegistry().bind("caravanIndexLifecycle", lifecycle);
        ctx.getRegistry().bind("caravanIndexTemplates", new IndexTemplates(searchCluster, index.templateShards(),
                index.templateReplicas(), index.templateRefresh(), index.templatePattern(), index.templatePriority(),
                lifecycle, index.dataStream()));
    }

    /** Adds Java routes before {@link #start()} (the {@code file} command's one-shot sources). */
    public CaravanRuntime addRoutes(org.apache.camel.RoutesBuilder routes) {
        main.configure().addRoutesBuilder(routes);
        return this;
    }

    /** Starts the routes and returns; {@link #close()} stops them. */
    public CaravanRuntime start() throws Exception {
        main.start();
        return this;
    }

    /**
     * Starts and blocks until the process is asked to stop (SIGTERM, Ctrl-C), then stops gracefully:
     * the tail routes stop first (saving checkpoints), in-flight batches finish and commit their
     * offsets, for at most {@code caravan.shutdown.timeout-seconds}; then returns, so the process
     * exits 0.
     */
    public void runUntilStopped() throws Exception {
        Signals.onTerminate(() -> {
            org.slf4j.LoggerFactory.getLogger(CaravanRuntime.class)
                    .info("stop requested: draining in-flight batches, saving checkpoints");
            main.completed();
        });
        try {
            main.run();
        } finally {
            closeClients();
        }
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public RestClient elasticsearch() {
        return esClient;
    }

    @Override
    public void close() {
        stopOperations();
        main.stop();
        closeClients();
    }

    private void closeClients() {
        if (kafkaAdmin != null) {
            kafkaAdmin.close();
        }
        if (esClient != null) {
            try {
                esClient.close();
            } catch (java.io.IOException e) {
                // Closing a client whose connections are already gone: nothing left to release.
            }
        }
    }
}
