package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** The scheduled back-fill: its cron and range are checked at start-up, and it is off unless enabled. */
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

    @Test
    void theBackfillIsOffUnlessEnabled() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            Properties p = backfill("false", "0 15 * * * ?", "2h");
            ctx.getPropertiesComponent().setInitialProperties(p);
            ctx.addRoutes(new ScheduleRoute(Settings.load(null, p, Map.of())));
            ctx.start();
            assertThat(ctx.getRouteController().getRouteStatus("schedule-backfill").isStarted()).isFalse();
        }
    }
}
