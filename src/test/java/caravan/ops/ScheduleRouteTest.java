package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The scheduled back-fill: its settings are checked at start-up, and while it is off Quartz does not run. */
class ScheduleRouteTest {

    private static Properties backfill(String enabled, String cron, String range) {
        Properties p = new Properties();
        p.setProperty("caravan.schedule.backfill.enabled", enabled);
        p.setProperty("caravan.schedule.backfill.cron", cron);
        p.setProperty("caravan.schedule.backfill.range", range);
        return p;
    }

    @Test
    void aBadCronFailsNamingItsKey() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            Properties p = backfill("false", "every night", "2h");
            ctx.getPropertiesComponent().setInitialProperties(p);
            assertThatThrownBy(() -> ctx.addRoutes(new ScheduleRoute(Settings.load(null, p, Map.of()))))
                    .hasMessageContaining("caravan.schedule.backfill.cron = 'every night' is not a Quartz cron expression");
        }
    }

    @Test
    void aBadRangeFailsNamingItsKey() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            Properties p = backfill("false", "0 15 * * * ?", "two hours");
            ctx.getPropertiesComponent().setInitialProperties(p);
            assertThatThrownBy(() -> ctx.addRoutes(new ScheduleRoute(Settings.load(null, p, Map.of()))))
                    .hasMessageContaining("caravan.schedule.backfill.range");
        }
    }

    /** A started context with the schedule's routes, the back-fill on or off, at an hourly cron. */
    private static DefaultCamelContext started(String enabled) throws Exception {
        DefaultCamelContext ctx = new DefaultCamelContext();
        Properties p = backfill(enabled, "0 15 * * * ?", "2h");
        ctx.getPropertiesComponent().setInitialProperties(p);
        ctx.addRoutes(new ScheduleRoute(Settings.load(null, p, Map.of())));
        ctx.start();
        return ctx;
    }

    @Test
    void offMeansNoRouteAndNoQuartz() throws Exception {
        try (DefaultCamelContext ctx = started("false")) {
            assertThat(ctx.getRoute("schedule-backfill")).isNull();
            assertThat(ctx.hasComponent("quartz")).isNull();
        }
    }

    @Test
    void onStartsTheRouteOnItsCron() throws Exception {
        try (DefaultCamelContext ctx = started("true")) {
            assertThat(ctx.getRouteController().getRouteStatus("schedule-backfill").isStarted()).isTrue();
            assertThat(ctx.getRoute("schedule-backfill").getEndpoint().getEndpointUri()).endsWith("cron=0+15+*+*+*+?");
        }
    }

    @Test
    void anEnabledValueOtherThanTrueOrFalseFailsNamingItsKey() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            Properties p = backfill("yes", "0 15 * * * ?", "2h");
            ctx.getPropertiesComponent().setInitialProperties(p);
            assertThatThrownBy(() -> ctx.addRoutes(new ScheduleRoute(Settings.load(null, p, Map.of()))))
                    .hasMessageContaining("caravan.schedule.backfill.enabled").hasMessageContaining("'yes' is not true or false");
        }
    }
}
