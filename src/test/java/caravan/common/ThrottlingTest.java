package caravan.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ship route's throttle counts lines, whether an exchange is one line or a batch of them. */
class ThrottlingTest {
    @BeforeAll
    static void meterBackend() {
        if (Metrics.registry() instanceof io.micrometer.core.instrument.composite.CompositeMeterRegistry c
                && c.getRegistries().isEmpty()) {
            c.add(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        }
    }

    @Test
    void aBatchTakesOnePermitPerLine() throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        try {
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    RouteDefinition route = from("direct:in").routeId("throttled");
                    Throttling.perLine(route, 10, "throttled");
                    route.to("mock:out");
                }
            });
            ctx.start();
            ProducerTemplate send = ctx.createProducerTemplate();
            List<String> batch = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                batch.add("line " + i);
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                send.sendBody("direct:in", "single " + i); // 5 permits
            }
            send.sendBody("direct:in", batch); // 25 permits: 30 in all at 10 per second
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertThat(ms).as("30 lines at 10 per second").isGreaterThanOrEqualTo(1_900);
        } finally {
            ctx.stop();
        }
    }
}
