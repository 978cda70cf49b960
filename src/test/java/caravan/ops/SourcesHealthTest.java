package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shipper pointed at a routes directory that does not exist ships nothing: readiness says so, naming the key. */
class SourcesHealthTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingRoutesDirectoryIsDownUntilItExists() throws Exception {
        Path routes = tmp.resolve("routes");
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            RouteReloader reloader = new RouteReloader(ctx, routes);
            reloader.loadAll();
            HealthCheck check = PipelineHealth.sources(reloader);
            ((org.apache.camel.CamelContextAware) check).setCamelContext(ctx);

            HealthCheck.Result missing = check.call();
            assertThat(missing.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(missing.getMessage()).get().asString()
                    .contains("caravan.routes.dir").contains(routes.toAbsolutePath().toString());
            assertThat(check.isReadiness()).isTrue();
            assertThat(check.isLiveness()).isFalse();

            Files.createDirectories(routes);
            assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
        }
    }
}
