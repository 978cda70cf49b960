package caravan.ops;

import caravan.alert.AnalyseRoute;
import caravan.alert.Analyser;
import caravan.common.TimeArgs;
import java.time.Instant;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.elasticsearch.client.RestClient;

/**
 * Jobs the daemon runs on a cron (camel-quartz), so no external cron is needed (retention is
 * {@code caravan.index.retention}: ILM, ISM or the index route's own pruning):
 * <ul>
 *   <li>{@code schedule-backfill}: evaluates the alert rules over the last
 *       {@code caravan.schedule.backfill.range}, as {@code caravan analyse} does.</li>
 * </ul>
 * Each is off unless its {@code .enabled} setting is true, and with none on Quartz is not started at all. A
 * failed run is logged and counted by Camel's route metrics
 * (camel_exchanges_failed_total{routeId="schedule-..."}); the next one runs on time.
 */
public final class ScheduleRoute extends RouteBuilder {
    private final Settings settings;

    public ScheduleRoute(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void configure() {
        String uri = quartz("backfill", "caravan.schedule.backfill.cron");
        if (!enabled("caravan.schedule.backfill.enabled")) {
            // No route, so no Quartz scheduler: its idle threads cost 0.3-1.2 ms of CPU a second (BENCHMARKS.md).
            return;
        }
        onException(Exception.class).handled(true)
                .log(LoggingLevel.ERROR, "caravan.schedule", "${routeId} failed: ${exception.message}");
        from(uri).routeId("schedule-backfill")
                .process(e -> {
                    Instant now = Instant.now();
                    Analyser a = AnalyseRoute.analyser(getContext(), settings.alert(), settings.notifiers(), es());
                    Analyser.Report r = a.backfill(now.minus(TimeArgs.age(prop("caravan.schedule.backfill.range"))), now);
                    e.getMessage().setBody(r.windows() + " windows from " + r.from() + " to " + r.to() + ", "
                            + r.events().size() + " alert events");
                })
                .log(LoggingLevel.INFO, "caravan.schedule", "back-fill: ${body}");
    }

    /** Settings has refused anything but true or false, naming the key. */
    private boolean enabled(String key) {
        return Boolean.parseBoolean(prop(key).trim());
    }

    /**
     * Quartz cron fields are separated by '+' in a URI; the setting is written with spaces. A bad
     * expression or age fails start-up naming its key, not at 03:30 in the night.
     */
    private String quartz(String job, String cronKey) {
        String cron = prop(cronKey).trim();
        try {
            org.quartz.CronExpression.validateExpression(cron);
        } catch (java.text.ParseException e) {
            throw new IllegalArgumentException(cronKey + " = '" + cron + "' is not a Quartz cron expression (seconds minutes"
                    + " hours day-of-month month day-of-week, e.g. 0 30 3 * * ?): " + e.getMessage(), e);
        }
        String ageKey = "caravan.schedule." + job + ".range";
        try {
            TimeArgs.age(prop(ageKey));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(ageKey + ": " + e.getMessage(), e);
        }
        return "quartz://caravan/" + job + "?cron=" + cron.replace(' ', '+');
    }

    private String prop(String key) {
        return settings.getOrEmpty(key);
    }

    private RestClient es() {
        return getContext().getRegistry().lookupByNameAndType("caravanElasticsearchClient", RestClient.class);
    }
}
