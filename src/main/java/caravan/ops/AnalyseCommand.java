package caravan.ops;

import caravan.alert.AlertEvent;
import caravan.alert.AnalyseRoute;
import caravan.alert.Analyser;
import caravan.common.SafeLog;
import caravan.common.TimeArgs;
import caravan.search.ElasticsearchClients;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.apache.camel.impl.DefaultCamelContext;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code caravan analyse}: the alert rules over a past range, now, without a running pipeline: an
 * import of old logs, or a rule tried on last week. The same as {@code POST /api/analyse}.
 */
@Command(name = "analyse", mixinStandardHelpOptions = true,
        description = {"Evaluate the rules of alerts.yaml over a past range now (back-fill): the statistics are",
                "written to caravan-stats-*, and alerts are notified and stored like the live run's, with an",
                "alert state of their own (a live alert is neither repeated nor resolved)."})
public final class AnalyseCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (default: ./application.properties when present).")
    Path config;

    @Option(names = "--from", required = true, paramLabel = "TIME", description = "Start: 2h (ago), 2026-11-24, 2026-11-24T04:00:00Z.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "End (default: now), same forms as --from; at most 31 days after --from.")
    String to;

    @Override
    public Integer call() throws Exception {
        Instant now = Instant.now();
        Instant start = TimeArgs.instant(from, now);
        Instant end = to == null ? now : TimeArgs.instant(to, now);
        if (!start.isBefore(end) || Duration.between(start, end).compareTo(Duration.ofDays(31)) > 0) {
            throw new IllegalArgumentException("--from (" + start + ") must be before --to (" + end + "), at most 31 days apart");
        }
        Settings s = Settings.load(config);
        PrintWriter out = spec.commandLine().getOut();
        // A bare context: the e-mail notifier sends through camel-mail.
        try (DefaultCamelContext ctx = new DefaultCamelContext();
             RestClient client = ElasticsearchClients.fromSettings(s::getOrEmpty)) {
            ctx.start();
            Analyser analyser = AnalyseRoute.analyser(ctx, s.alert(), s.notifiers(), client);
            Analyser.Report r = analyser.backfill(start, end);
            for (AlertEvent e : r.events()) {
                out.printf("%s %s %s %s: %s%n", e.window(), e.status(), e.severity(), e.key(), SafeLog.escape(e.message()));
            }
            long firing = r.events().stream().filter(e -> e.status() == AlertEvent.Status.FIRING).count();
            out.printf("Analysed %s to %s: %d windows, %d alerts fired, %d resolved%n", r.from(), r.to(), r.windows(),
                    firing, r.events().size() - firing);
            out.flush();
        }
        return 0;
    }
}
