package caravan.ops;

import caravan.common.Metrics;
import caravan.index.IndexRoute;
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
        validate(config, extra);
        main.setPropertyPlaceholderLocations(locations);
        if (extra != null && !extra.isEmpty()) {
            main.setOverrideProperties(extra);
        }
        main.configure().addRoutesBuilder(new ShipRoute(Parsers::datasetOf));
        main.configure().addRoutesBuilder(new caravan.ship.FileImportRoute());
        main.configure().addRoutesBuilder(new IndexRoute());
        main.configure().addRoutesBuilder(new ScheduleRoute());
        main.configure().addRoutesBuilder(new caravan.alert.AnalyseRoute());
        main.configure().addRoutesBuilder(new caravan.api.ApiRoutes());
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
        reloader = new RouteReloader(ctx, Path.of(ctx.resolvePropertyPlaceholders("{{caravan.routes.dir}}")));
        reloader.loadAll();
        kafkaAdmin = new KafkaAdmin(ctx.resolvePropertyPlaceholders("{{caravan.kafka.brokers}}"));
        boolean indexing = Boolean.parseBoolean(ctx.resolvePropertyPlaceholders("{{caravan.index.enabled}}"));
        HealthCheckRegistry health = HealthCheckRegistry.get(ctx);
        health.register(PipelineHealth.kafka(kafkaAdmin, ctx.resolvePropertyPlaceholders("{{caravan.index.group}}"), indexing));
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
        if (Boolean.parseBoolean(ctx.resolvePropertyPlaceholders("{{caravan.routes.reload}}"))) {
            reloader.watch(Long.parseLong(ctx.resolvePropertyPlaceholders("{{caravan.routes.reload-interval-ms}}")));
        }
        timer = ctx.getExecutorServiceManager().newScheduledThreadPool(this, "caravan-ops", 1);
        if (Boolean.parseBoolean(ctx.resolvePropertyPlaceholders("{{caravan.index.enabled}}"))) {
            long every = Long.parseLong(ctx.resolvePropertyPlaceholders("{{caravan.metrics.lag-interval-seconds}}"));
            timer.scheduleWithFixedDelay(new ConsumerLag(kafkaAdmin,
                    ctx.resolvePropertyPlaceholders("{{caravan.index.group}}"),
                    ctx.resolvePropertyPlaceholders("{{caravan.kafka.topic.raw}}")), 1, every, TimeUnit.SECONDS);
        }
        org.slf4j.LoggerFactory.getLogger(CaravanRuntime.class).info("Caravan started: routes {}{}",
                ctx.getRoutes().stream().map(org.apache.camel.Route::getRouteId).sorted().toList(),
                Boolean.parseBoolean(ctx.resolvePropertyPlaceholders("{{caravan.http.enabled}}"))
                        ? "; metrics and health on http://" + ctx.resolvePropertyPlaceholders("{{caravan.http.host}}:{{caravan.http.port}}")
                                + "/observe/{metrics,health}" : "");
        long summary = Long.parseLong(ctx.resolvePropertyPlaceholders("{{caravan.health.summary-seconds}}"));
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

    /** Refuses to start on an unknown key or a bad value, naming the key and the fix. */
    private static void validate(Path config, Properties extra) {
        ConfigValidator validator = new ConfigValidator();
        java.util.List<String> errors = new java.util.ArrayList<>();
        if (config != null) {
            Properties file = new Properties();
            try (var in = Files.newInputStream(config)) {
                file.load(in);
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read configuration file " + config + ": " + e.getMessage(), e);
            }
            errors.addAll(validator.validate(asMap(file), config.toString()));
        }
        errors.addAll(validator.validate(validator.fromEnvironment(System.getenv()), "the environment"));
        if (extra != null) {
            errors.addAll(validator.validate(asMap(extra), "the command line"));
        }
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("configuration errors:\n  " + String.join("\n  ", errors));
        }
    }

    private static java.util.Map<String, String> asMap(Properties p) {
        java.util.Map<String, String> m = new java.util.TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    private void wireElasticsearch(CamelContext ctx) {
        esClient = ElasticsearchClients.fromSettings(k -> ctx.resolvePropertyPlaceholders("{{" + k + "}}"));
        ctx.getComponent("elasticsearch", ElasticsearchComponent.class).setClient(esClient);
        ctx.getRegistry().bind("caravanElasticsearchClient", esClient);
        ctx.getRegistry().bind("caravanIndexTemplates", new IndexTemplates(esClient,
                Integer.parseInt(ctx.resolvePropertyPlaceholders("{{caravan.index.template.shards}}")),
                Integer.parseInt(ctx.resolvePropertyPlaceholders("{{caravan.index.template.replicas}}")),
                ctx.resolvePropertyPlaceholders("{{caravan.index.template.refresh}}")));
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
