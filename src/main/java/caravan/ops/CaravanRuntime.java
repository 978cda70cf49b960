package caravan.ops;

import caravan.common.Metrics;
import caravan.enrich.chain.Enrichers;
import caravan.index.IndexRoute;
import caravan.index.IndexSettings;
import caravan.index.IndexTemplates;
import caravan.parse.Parsers;
import caravan.search.ElasticsearchClients;
import caravan.ship.ShipRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.es.ElasticsearchComponent;
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
    private final Main main = new Main();
    private final Settings settings;
    private RestClient esClient;
    private RouteReloader reloader;
    private KafkaAdmin kafkaAdmin;
    private PipelineControl control;
    private ScheduledExecutorService timer;

    /**
     * @param config the operator's properties file, or null for none
     * @param extra  properties that win over the file (the demo and tests set servers here)
     */
    public CaravanRuntime(Path config, Properties extra) {
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
        settings = Settings.load(config, extra, System.getenv());
        main.setPropertyPlaceholderLocations(locations);
        if (extra != null && !extra.isEmpty()) {
            main.setOverrideProperties(extra);
        }
        main.configure().addRoutesBuilder(new ShipRoute(settings.ship(), Parsers::datasetOf));
        main.configure().addRoutesBuilder(new caravan.ship.FileImportRoute());
        main.configure().addRoutesBuilder(new IndexRoute(settings.index(), () -> Enrichers.fromSettings(settings::value)));
        main.configure().addRoutesBuilder(new ScheduleRoute(settings));
        main.configure().addRoutesBuilder(new caravan.alert.AnalyseRoute(settings.analysing(), settings.alert(), settings.notifiers()));
        main.configure().addRoutesBuilder(new caravan.api.ApiRoutes(settings.api()));
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                // Camel's route meters and Caravan's own in one registry, so one scrape has both.
                m.getCamelContext().getRegistry().bind("metricsRegistry", Metrics.prometheus());
                wireElasticsearch(m.getCamelContext());
                // A stable host.name (it is part of every document id): a container's name changes on re-create.
                m.getCamelContext().getComponent("tail", caravan.ship.tail.TailComponent.class)
                        .setHost(m.getCamelContext().resolvePropertyPlaceholders("{{caravan.host.name}}"));
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
        reloader = new RouteReloader(ctx, Path.of(settings.get("caravan.routes.dir")));
        reloader.loadAll();
        kafkaAdmin = new KafkaAdmin(settings.get("caravan.kafka.brokers"));
        boolean indexing = Boolean.parseBoolean(settings.get("caravan.index.enabled"));
        HealthCheckRegistry health = HealthCheckRegistry.get(ctx);
        health.register(PipelineHealth.kafka(kafkaAdmin, settings.get("caravan.index.group"), indexing));
        if (indexing) {
            health.register(PipelineHealth.elasticsearch(esClient));
            health.register(PipelineHealth.circuit());
            health.register(PipelineHealth.geoip());
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
        if (Boolean.parseBoolean(settings.get("caravan.routes.reload"))) {
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
                        ? "; metrics and health on http://" + settings.get("caravan.http.host") + ":" + settings.get("caravan.http.port")
                                + "/observe/{metrics,health}" : "");
        long summary = Long.parseLong(settings.get("caravan.health.summary-seconds"));
        if (summary > 0) {
            timer.scheduleWithFixedDelay(new HealthSummary(ctx), summary, summary, TimeUnit.SECONDS);
        }
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

    private void wireElasticsearch(CamelContext ctx) {
        esClient = ElasticsearchClients.fromSettings(k -> ctx.resolvePropertyPlaceholders("{{" + k + "}}"));
        ctx.getComponent("elasticsearch", ElasticsearchComponent.class).setClient(esClient);
        ctx.getRegistry().bind("caravanElasticsearchClient", esClient);
        IndexSettings index = settings.index();
        ctx.getRegistry().bind("caravanIndexTemplates", new IndexTemplates(esClient,
                index.templateShards(), index.templateReplicas(), index.templateRefresh()));
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
