package caravan.ship.tail;

import caravan.common.Metrics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/** A Camel context per test around tail: endpoints in a temporary directory, stopped after each test. */
abstract class TailContextTest {
    @TempDir
    Path dir;
    CamelContext ctx;

    @org.junit.jupiter.api.BeforeAll
    static void meterBackend() {
        // the global registry is an empty composite until a backend joins (in production: Prometheus)
        if (Metrics.registry() instanceof io.micrometer.core.instrument.composite.CompositeMeterRegistry c
                && c.getRegistries().isEmpty()) {
            c.add(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        }
    }

    @AfterEach
    void stop() {
        if (ctx != null) {
            ctx.stop();
        }
    }

    String uri(String glob) {
        return "tail:" + dir.resolve(glob) + "?checkpointDir=" + dir.resolve("cp") + "&pollDelay=20&scanInterval=50";
    }

    List<String> bodies(MockEndpoint mock) {
        List<String> out = new ArrayList<>();
        mock.getExchanges().forEach(e -> out.add(e.getMessage().getBody(String.class)));
        return out;
    }

    static String body(Exchange e) {
        return e.getMessage().getBody(String.class);
    }
}
