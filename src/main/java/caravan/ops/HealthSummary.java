package caravan.ops;

import caravan.common.Metrics;
import caravan.common.SafeLog;
import java.util.Collection;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One log line every so often: readiness, each check that is not up, and the main counters. */
final class HealthSummary implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthSummary.class);
    private final CamelContext ctx;

    HealthSummary(CamelContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void run() {
        try {
            LOG.info(line(HealthCheckHelper.invokeReadiness(ctx)));
        } catch (RuntimeException e) {
            LOG.warn("health summary failed: {}", e.toString());
        }
    }

    static String line(Collection<HealthCheck.Result> results) {
        boolean up = results.stream().allMatch(r -> r.getState() == HealthCheck.State.UP);
        String down = results.stream().filter(r -> r.getState() != HealthCheck.State.UP)
                .map(r -> r.getCheck().getId() + "=" + r.getState()
                        + r.getMessage().map(m -> " (" + SafeLog.escape(m) + ")").orElse(""))
                .collect(Collectors.joining(", "));
        return String.format("health: %s%s; processed=%.0f failed=%.0f es_errors=%.0f reload_failures=%.0f",
                up ? "READY" : "NOT READY", down.isEmpty() ? "" : " [" + down + "]",
                Metrics.counterTotal("caravan.logs.processed"), Metrics.counterTotal("caravan.logs.failed"),
                Metrics.counterTotal("caravan.elasticsearch.errors"), Metrics.counterTotal("caravan.routes.reload.failures"));
    }
}
