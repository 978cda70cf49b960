package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** caravan run: the ship half in a context of its own, started before the index half and stopped before it. */
class PipelineHalvesTest {
    @TempDir
    Path dir;

    private Properties bothHalves() throws Exception {
        return NoServers.shipping(dir); // the index half is on by default
    }

    private static List<String> routes(CamelContext ctx) {
        return ctx.getRoutes().stream().map(Route::getRouteId).toList();
    }

    @Test
    void theShipHalfRunsInItsOwnContextAndIsUpBeforeTheIndexHalfStarts() throws Exception {
        try (CaravanRuntime rt = new CaravanRuntime(null, bothHalves(), java.util.Map.of())) {
            rt.start();
            CamelContext ship = rt.shipContext();
            CamelContext index = rt.context();
            assertThat(ship).isNotSameAs(index);
            assertThat(ship.getName()).isEqualTo(PipelineHalf.SHIP_CONTEXT);
            assertThat(index.getName()).isEqualTo("caravan");
            assertThat(routes(ship)).contains("ship", "file-import").doesNotContain("index");
            assertThat(routes(index)).contains("index").doesNotContain("ship", "file-import");
            // Started in sequence: the index half (enrichers, search client) began after the ship half ran.
            assertThat(ship.getUptime()).isGreaterThan(index.getUptime());
            assertThat(ship.getStatus()).isEqualTo(ServiceStatus.Started);
            assertThat(index.getStatus()).isEqualTo(ServiceStatus.Started);
        }
    }

    @Test
    void theIndexHalfsReadinessIncludesTheShipHalf() throws Exception {
        Properties p = bothHalves();
        p.setProperty("caravan.routes.dir", dir.resolve("no-such-dir").toString());
        try (CaravanRuntime rt = new CaravanRuntime(null, p, java.util.Map.of())) {
            rt.start();
            HealthCheck ship = HealthCheckRegistry.get(rt.context()).getCheck("ship").orElseThrow();
            HealthCheck.Result r = ship.call();
            assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(r.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("sources", "caravan.routes.dir"));
        }
    }

    @Test
    void theShipHalfStopsFirstSoCheckpointsAreSavedBeforeTheIndexerDrains() throws Exception {
        List<String> stopped = Collections.synchronizedList(new ArrayList<>());
        CaravanRuntime rt = new CaravanRuntime(null, bothHalves(), java.util.Map.of()).start();
        for (CamelContext ctx : List.of(rt.context(), rt.shipContext())) {
            ctx.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
                @Override
                public void notify(CamelEvent event) {
                    if (event instanceof CamelEvent.CamelContextStoppingEvent) {
                        stopped.add(ctx.getName());
                    }
                }
            });
        }
        rt.close();
        assertThat(stopped).containsExactly(PipelineHalf.SHIP_CONTEXT, "caravan");
        assertThat(rt.shipContext().isStopped()).isTrue();
        assertThat(rt.context().isStopped()).isTrue();
    }

    @Test
    void bothHalvesOffIsRefusedNamingTheKeys() throws Exception {
        Properties p = NoServers.settings(dir);
        p.setProperty("caravan.index.enabled", "false");
        assertThatThrownBy(() -> new CaravanRuntime(null, p, java.util.Map.of()))
                .hasMessageContaining("caravan.ship.enabled").hasMessageContaining("caravan.index.enabled");
    }
}
