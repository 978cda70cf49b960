package caravan.ops;

import caravan.index.ElasticsearchClients;
import caravan.index.IndexRoute;
import caravan.index.IndexTemplates;
import caravan.ship.ShipRoute;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.component.es.ElasticsearchComponent;
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
        main.configure().addRoutesBuilder(new ShipRoute());
        main.configure().addRoutesBuilder(new IndexRoute());
        main.addMainListener(new MainListenerSupport() {
            @Override
            public void beforeConfigure(BaseMainSupport m) {
                wireElasticsearch(m.getCamelContext());
            }
        });
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
        String urls = ctx.resolvePropertyPlaceholders("{{caravan.elasticsearch.urls}}");
        String user = ctx.resolvePropertyPlaceholders("{{caravan.elasticsearch.username}}");
        String password = ElasticsearchClients.secret(
                ctx.resolvePropertyPlaceholders("{{caravan.elasticsearch.password}}"),
                ctx.resolvePropertyPlaceholders("{{caravan.elasticsearch.password-file}}"));
        String apiKey = ElasticsearchClients.secret(
                ctx.resolvePropertyPlaceholders("{{caravan.elasticsearch.api-key}}"),
                ctx.resolvePropertyPlaceholders("{{caravan.elasticsearch.api-key-file}}"));
        esClient = ElasticsearchClients.create(urls, user, password, apiKey);
        ctx.getComponent("elasticsearch", ElasticsearchComponent.class).setClient(esClient);
        ctx.getRegistry().bind("caravanElasticsearchClient", esClient);
        ctx.getRegistry().bind("caravanIndexTemplates", new IndexTemplates(esClient,
                Integer.parseInt(ctx.resolvePropertyPlaceholders("{{caravan.index.template.shards}}")),
                Integer.parseInt(ctx.resolvePropertyPlaceholders("{{caravan.index.template.replicas}}")),
                ctx.resolvePropertyPlaceholders("{{caravan.index.template.refresh}}")));
    }

    /** Starts the routes and returns; {@link #close()} stops them. */
    public CaravanRuntime start() throws Exception {
        main.start();
        return this;
    }

    /** Starts and blocks until the JVM is asked to stop (SIGTERM, Ctrl-C). */
    public void runUntilStopped() throws Exception {
        main.run();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public RestClient elasticsearch() {
        return esClient;
    }

    @Override
    public void close() throws Exception {
        main.stop();
        if (esClient != null) {
            esClient.close();
        }
    }
}
