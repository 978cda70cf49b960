package caravan.alert;

import caravan.search.SearchClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
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

    private final boolean enabled;
    private final AlertSettings settings;
    private final NotifierSettings notifiers;

    /** @param enabled caravan.alert.enabled, in a process that indexes (a ship-only one has no search engine to ask) */
    public AnalyseRoute(boolean enabled, AlertSettings settings, NotifierSettings notifiers) {
        this.enabled = enabled;
        this.settings = settings;
        this.notifiers = notifiers;
    }

    @Override
    public void configure() throws Exception {
        if (!enabled) {
            return;
        }
        RestClient client = getContext().getRegistry().lookupByNameAndType("caravanElasticsearchClient", RestClient.class);
        Analyser analyser = analyser(getContext(), settings, notifiers, client);
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
    public static Analyser analyser(CamelContext ctx, AlertSettings settings, NotifierSettings channels, RestClient client) {
        SearchClient es = new SearchClient(client);
        StatsStore store = new StatsStore(es, settings.indexPrefix(), settings.replicas());
        Notifiers notifiers = new Notifiers(notifiers(ctx, channels, store));
        RulesHolder rules = new RulesHolder(resolve(settings.rulesFile()), notifiers.channels());
        String owner = ProcessHandle.current().pid() + "@" + hostName() + "/" + UUID.randomUUID().toString().substring(0, 8);
        Lease lease = new Lease(es, store.leasesIndex(), "analyse", owner, settings.leaseTtl(), Clock.systemUTC());
        return new Analyser(settings, store, rules, notifiers, lease, Clock.systemUTC());
    }

    private static List<Notifier> notifiers(CamelContext ctx, NotifierSettings n, StatsStore store) {
        List<Notifier> out = new ArrayList<>();
        out.add(new LogNotifier());
        out.add(new IndexNotifier(store));
        if (!n.webhookUrl().isEmpty()) {
            URI uri = URI.create(n.webhookUrl());
            if (uri.getScheme() == null || !Set.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("bad value for 'caravan.alert.webhook.url': '" + n.webhookUrl()
                        + "' is not an http(s) URL: use e.g. https://hooks.slack.com/services/...");
            }
            out.add(new WebhookNotifier(uri, n.webhookSlack(), n.webhookTimeout()));
        }
        if (!n.emailHost().isEmpty()) {
            if (n.emailTo().isEmpty()) {
                throw new IllegalArgumentException("'caravan.alert.email.host' is set but 'caravan.alert.email.to' is empty: "
                        + "give the recipients, comma-separated");
            }
            out.add(new EmailNotifier(ctx, n.emailHost(), n.emailPort(), n.emailSecurity(), n.emailUsername(),
                    n.emailPassword(), n.emailFrom(), n.emailTo()));
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
}
