package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.Metrics;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/** A refused edit of an enricher's rule files takes readiness down, naming the enricher; a fixed one brings it back. */
class EnrichRulesHealthTest {
    @Test
    void notReadyWhileAnEditIsRefused() throws Exception {
        AtomicInteger refused = new AtomicInteger();
        Metrics.enrichRulesRefused("health-test", refused::get);
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            HealthCheck check = PipelineHealth.enrichRules();
            ((org.apache.camel.CamelContextAware) check).setCamelContext(ctx);
            assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
            refused.set(1);
            HealthCheck.Result down = check.call();
            assertThat(down.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(down.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("health-test"));
            refused.set(0);
            assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
        }
    }
}
