package caravan.alert;

import caravan.common.Secrets;
import caravan.search.SearchClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.elasticsearch.client.RestClient;

/**
 * Route {@code analyse}: a timer that runs the {@link Analyser} every {@code caravan.alert.interval-seconds}.
 * Every indexer process runs it; the lease makes one of them do the work per interval. Also binds
 * the analyser as {@value #ANALYSER} for the API.
 */
public final class AnalyseRoute extends RouteBuilder {
    public static final String ANALYSER = "caravanAnalyser";

    @Override
    public void configure() throws Exception {
        if (!Boolean.parseBoolean(prop("caravan.alert.enabled")) || !Boolean.parseBoolean(prop("caravan.index.enabled"))) {
            return; // a ship-only process has no Elasticsearch to ask
        }
        RestClient client = getContext().getRegistry().lookupByNameAndType("caravanElasticsearchClient", RestClient.class);
        Analyser analyser = analyser(getContext(), this::prop, client);
        AlertSettings settings = analyser.settings();
        getContext().getRegistry().bind(ANALYSER, analyser);

        from("timer:analyse?delay=5000&period=" + settings.interval().toMillis())
                .routeId("analyse")
                .process(x -> {
                    try {
                        analyser.runLive();
                    } catch (java.io.IOException e) {
                        // Elasticsearch away: the next tick continues from the lease's evaluated_until.
                        org.slf4j.LoggerFactory.getLogger(Analyser.class).warn("analyse skipped: {}", e.toString());
                    }
                });
        // alerts.yaml edits: validated, then swapped in; a broken edit keeps the rules in force.
        from("timer:analyse-rules?delay=" + settings.rulesReload().toMillis() + "&period=" + settings.rulesReload().toMillis())
                .routeId("analyse-rules")
                .process(x -> analyser.rules().reloadIfChanged());
        // Give the lease up on a clean stop, so another process need not wait for the TTL.
        getContext().addLifecycleStrategy(new org.apache.camel.support.LifecycleStrategySupport() {
            @Override
            public void onContextStopping(org.apache.camel.CamelContext context) {
                analyser.release();
            }
        });
    }

    /**
     * The analyser with its store, rules, notifiers and lease, from settings: for this route, and
     * for {@code caravan analyse}, which back-fills without running a pipeline.
     */
    public static Analyser analyser(CamelContext ctx, Function<String, String> prop, RestClient client) {
        AlertSettings settings = AlertSettings.from(prop);
        SearchClient es = new SearchClient(client);
        StatsStore store = new StatsStore(es, settings.indexPrefix(), settings.replicas());
        Notifiers notifiers = new Notifiers(notifiers(ctx, prop, store));
        RulesHolder rules = new RulesHolder(resolve(settings.rulesFile()), notifiers.channels());
        String owner = ProcessHandle.current().pid() + "@" + hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        Lease lease = new Lease(es, store.leasesIndex(), "analyse", owner, settings.leaseTtl(), Clock.systemUTC());
        return new Analyser(settings, store, rules, notifiers, lease, Clock.systemUTC());
    }

    private static List<Notifier> notifiers(CamelContext ctx, Function<String, String> prop, StatsStore store) {
        List<Notifier> out = new ArrayList<>();
        out.add(new LogNotifier());
        out.add(new IndexNotifier(store));
        String url = prop.apply("caravan.alert.webhook.url").trim();
        if (!url.isEmpty()) {
            URI uri = URI.create(url);
            if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("bad value for 'caravan.alert.webhook.url': '" + url
                        + "' is not an http(s) URL: use e.g. https://hooks.slack.com/services/...");
            }
            out.add(new WebhookNotifier(uri, prop.apply("caravan.alert.webhook.format").trim().equals("slack"),
                    Duration.ofSeconds(Long.parseLong(prop.apply("caravan.alert.webhook.timeout-seconds").trim()))));
        }
        String host = prop.apply("caravan.alert.email.host").trim();
        if (!host.isEmpty()) {
            String to = prop.apply("caravan.alert.email.to").trim();
            if (to.isEmpty()) {
                throw new IllegalArgumentException("'caravan.alert.email.host' is set but 'caravan.alert.email.to' is empty: "
                        + "give the recipients, comma-separated");
            }
            String password = Secrets.secret(prop.apply("caravan.alert.email.password"), prop.apply("caravan.alert.email.password-file"));
            out.add(new EmailNotifier(ctx, host, Integer.parseInt(prop.apply("caravan.alert.email.port").trim()),
                    prop.apply("caravan.alert.email.security").trim(), prop.apply("caravan.alert.email.username").trim(), password,
                    prop.apply("caravan.alert.email.from").trim(), to));
        }
        return out;
    }

    private static Path resolve(Path p) {
        return p.toAbsolutePath().normalize();
    }

    private static String hostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private String prop(String key) {
        return getContext().getPropertiesComponent().resolveProperty(key).orElse("");
    }
}
