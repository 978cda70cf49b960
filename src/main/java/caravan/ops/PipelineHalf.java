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
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.elasticsearch.client.RestClient;

/**
 * One half of Caravan in a camel-main context of its own: the ship half (source routes and the
 * Kafka producer) or the index half (Kafka consumer, enrichers, search engine, alerts, API).
 *
 * <p>{@code caravan run} starts the ship half first and the index half after it, so the first line
 * reaches Kafka while the enrichers, the HTTP server and the API are still being built
 * (BENCHMARKS.md "Start-up"). The index half serves the process's metrics, health and API; a ship
 * half running alone serves {@code /observe} from the JDK's HTTP server ({@link ObserveServer}).
 */
final class PipelineHalf implements AutoCloseable {
    enum Kind { SHIP, INDEX }

    /** The ship half's context name when both halves run (JMX, the camelContext tag): the index half keeps "caravan". */
    static final String SHIP_CONTEXT = "caravan-ship";

    private final Kind kind;
    private final Main main = new Main();
    private final Settings settings;
    private final KafkaAdmin kafkaAdmin;
    /** The process's other half when both run (the index half reports its readiness), else null. */
    private final PipelineHalf sibling;
    private final boolean alone;
    private RestClient esClient;
    private caravan.search.SearchCluster searchCluster;
    private RouteReloader reloader;
    private PipelineControl control;
    private ScheduledExecutorService timer;
    private ObserveServer observe;

    /**
     * @param locations the property locations, the operator's file first
     * @param extra     properties that win over the file, or null
     * @param sibling   the ship half when this is the index half of a process running both, else null
     * @param alone     the only half of this process: it serves HTTP and logs the health summary
     */
    PipelineHalf(Kind kind, Settings settings, String locations, Properties extra, KafkaAdmin kafkaAdmin,
            PipelineHalf sibling, boolean alone) {
        this.kind = kind;
        this.settings = settings;
        this.kafkaAdmin = kafkaAdmin;
        this.sibling = sibling;
        this.alone = alone;
        main.setPropertyPlaceholderLocations(locations);
        Properties overrides = new Properties(); // a copy: the half's own overrides must not change the caller's
        if (extra != null) {
            overrides.putAll(extra);
        }
        if (kind == Kind.SHIP) {
            // Camel's management server is Vert.x: a ship half serves /observe from the JDK (ObserveServer says why),
            // or not at all when the index half serves it for the process.
            overrides.setProperty("camel.management.enabled", "false");
            if (!alone) {
                overrides.setProperty("camel.main.name", SHIP_CONTEXT);
            }
        }
        main.setOverrideProperties(overrides);
        if (kind == Kind.SHIP) {
            main.configure().addRoutesBuilder(new ShipRoute(settings.ship(), Parsers::datasetOf));
            main.configure().addRoutesBuilder(new caravan.ship.FileImportRoute());
        } else {
            main.configure().addRoutesBuilder(new IndexRoute(settings.index(), () -> Enrichers.build(settings.enrich(), settings::value)));
            main.configure().addRoutesBuilder(new ScheduleRoute(settings));
            main.configure().addRoutesBuilder(new caravan.alert.AnalyseRoute(settings.analysing(), settings.alert(), settings.notifiers()));
            main.configure().addRoutesBuilder(new caravan.api.ApiRoutes(settings.api()));
        }
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                wireContext(m.getCamelContext());
            }

            @Override
            public void afterConfigure(BaseMainSupport m) {
                wireOperations(m.getCamelContext());
            }
        });
    }

    Kind kind() {
        return kind;
    }

    /** Adds Java routes before {@link #start()} (the {@code file} command's one-shot sources). */
    void addRoutes(org.apache.camel.RoutesBuilder routes) {
        main.configure().addRoutesBuilder(routes);
    }

    /** Starts the routes; returns once they run. */
    void start() throws Exception {
        main.start();
        startOperations(main.getCamelContext());
    }

    CamelContext context() {
        return main.getCamelContext();
    }

    RestClient elasticsearch() {
        return esClient;
    }

    private void wireContext(CamelContext ctx) {
        // Camel's route meters and Caravan's own in one registry, so one scrape has both halves.
        ctx.getRegistry().bind("metricsRegistry", Metrics.prometheus());
        // The security block on the kafka component, before any endpoint copies its configuration.
        ctx.getComponent("kafka", KafkaComponent.class).getConfiguration()
                .setAdditionalProperties(new java.util.HashMap<>(KafkaClients.security(settings::value)));
        if (kind == Kind.SHIP) {
            // tail:'s meters in Caravan's registry (autowired into the component's metricsFactory)
            ctx.getRegistry().bind("caravanTailMetrics", TailMetrics.micrometer(Metrics.registry()));
            caravan.ship.tail.TailComponent tail = ctx.getComponent("tail", caravan.ship.tail.TailComponent.class);
            // A stable host.name (it is part of every document id): a container's name changes on re-create.
            tail.setHost(ctx.resolvePropertyPlaceholders("{{caravan.host.name}}"));
            tail.setCopyWindow(settings.ship().tailCopyWindowMs());
        } else {
            wireElasticsearch(ctx);
        }
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

    /** Before start: the YAML source routes, the health checks, the JMX bean, the ship half's /observe. */
    private void wireOperations(CamelContext ctx) {
        HealthCheckRegistry health = HealthCheckRegistry.get(ctx);
        boolean http = Boolean.parseBoolean(settings.get("caravan.http.enabled"));
        if (kind == Kind.SHIP) {
            reloader = new RouteReloader(ctx, Path.of(settings.get("caravan.routes.dir")));
            reloader.loadAll();
            health.register(PipelineHealth.sources(reloader));
            health.register(PipelineHealth.checkpoints(ctx));
            if (alone) {
                health.register(PipelineHealth.kafka(kafkaAdmin, settings.get("caravan.index.group"), false));
            }
            if (alone && http) {
                observe = new ObserveServer(ctx, Metrics.prometheus(), settings.get("caravan.http.host"),
                        Integer.parseInt(settings.get("caravan.http.port")));
                addService(ctx, observe, "the /observe server");
            }
            control = new PipelineControl(ctx);
            try {
                control.register();
            } catch (Exception e) {
                throw new IllegalStateException("cannot register the " + PipelineControl.OBJECT_NAME + " MBean", e);
            }
        } else {
            if (alone) {
                // caravan index: its sources belong to the shipper. Loaded here, their tail: routes read
                // files with nowhere to ship and held the checkpoint lock every other process on the host needs.
                org.slf4j.LoggerFactory.getLogger(PipelineHalf.class).info(
                        "Ship half off (caravan.ship.enabled=false): the source routes in {} are not loaded",
                        settings.get("caravan.routes.dir"));
            }
            health.register(PipelineHealth.kafka(kafkaAdmin, settings.get("caravan.index.group"), true));
            health.register(PipelineHealth.elasticsearch(searchCluster));
            health.register(PipelineHealth.circuit());
            health.register(PipelineHealth.geoip());
            health.register(PipelineHealth.enrichRules());
            if (sibling != null) {
                health.register(PipelineHealth.ship(sibling.context()));
            }
        }
    }

    private static void addService(CamelContext ctx, Object service, String what) {
        try {
            ctx.addService(service, true, true);
        } catch (Exception e) {
            throw new IllegalStateException("cannot add " + what, e);
        }
    }

    /** After start: route file watching, the lag gauge, the periodic health summary. */
    private synchronized void startOperations(CamelContext ctx) {
        timer = ctx.getExecutorServiceManager().newScheduledThreadPool(this, "caravan-ops", 1);
        if (reloader != null && Boolean.parseBoolean(settings.get("caravan.routes.reload"))) {
            reloader.watch(Long.parseLong(settings.get("caravan.routes.reload-interval-ms")));
        }
        if (kind == Kind.INDEX) {
            long every = Long.parseLong(settings.get("caravan.metrics.lag-interval-seconds"));
            timer.scheduleWithFixedDelay(new ConsumerLag(kafkaAdmin, settings.get("caravan.index.group"),
                    settings.get("caravan.kafka.topic.raw")), 1, every, TimeUnit.SECONDS);
        }
        long summary = Long.parseLong(settings.get("caravan.health.summary-seconds"));
        // One summary per process: the index half's readiness includes the ship half's.
        if (summary > 0 && (alone || kind == Kind.INDEX)) {
            timer.scheduleWithFixedDelay(new HealthSummary(ctx), summary, summary, TimeUnit.SECONDS);
        }
    }

    List<String> routeIds() {
        return context().getRoutes().stream().map(org.apache.camel.Route::getRouteId).toList();
    }

    /** Where this half serves HTTP ({@code host:port}), or null when it serves none. */
    String httpAddress() {
        if (!Boolean.parseBoolean(settings.get("caravan.http.enabled"))) {
            return null;
        }
        if (observe != null) {
            return observe.address();
        }
        return kind == Kind.INDEX ? CaravanRuntime.boundAddress(context()) : null;
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
            control = null;
        }
    }

    /** Stops the routes (the tail routes save their checkpoints, in-flight batches finish). */
    @Override
    public void close() {
        stopOperations();
        main.stop();
        if (esClient != null) {
            try {
                esClient.close();
            } catch (java.io.IOException e) {
                // Closing a client whose connections are already gone: nothing left to release.
            }
        }
    }
}
