package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shipper that cannot write its checkpoints (the disk full or read-only, the file's name taken)
 * reads no new file meanwhile: readiness says so, naming the route and the file, and comes back
 * with the next write that succeeds.
 */
class CheckpointsHealthTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    @Test
    void aFailingCheckpointWriteIsDownUntilOneSucceeds() throws Exception {
        Path file = tmp.resolve("app.log");
        Path cp = tmp.resolve("cp");
        Files.writeString(file, "one\n");
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            ctx.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("tail:" + file + "?checkpointDir=" + cp + "&checkpointInterval=100&pollDelay=20&scanInterval=50")
                            .routeId("web").to("mock:out");
                }
            });
            ctx.start();
            HealthCheck check = PipelineHealth.checkpoints(ctx);
            ((org.apache.camel.CamelContextAware) check).setCamelContext(ctx);
            MockEndpoint out = ctx.getEndpoint("mock:out", MockEndpoint.class);
            await().atMost(WAIT).until(() -> out.getReceivedCounter() == 1);
            assertThat(check.call().getState()).isEqualTo(HealthCheck.State.UP);
            assertThat(check.isReadiness()).isTrue();
            assertThat(check.isLiveness()).isFalse();

            // the checkpoint file's name taken by a directory: every write fails (as root, permissions would not)
            Path written;
            try (var files = Files.list(cp)) {
                written = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
            }
            await().atMost(WAIT).until(() -> {
                try {
                    Files.deleteIfExists(written); // a write may land in between: then again
                    Files.createDirectories(written.resolve("blocker"));
                    return true;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            Files.writeString(file, "two\n", java.nio.file.StandardOpenOption.APPEND);
            await().atMost(WAIT).until(() -> check.call().getState() == HealthCheck.State.DOWN);
            assertThat(check.call().getMessage()).get().asString()
                    .contains("web", "cannot write its checkpoints to", written.toString(), "checkpointDir");

            Files.delete(written.resolve("blocker"));
            Files.delete(written);
            Files.writeString(file, "three\n", java.nio.file.StandardOpenOption.APPEND);
            await().atMost(WAIT).until(() -> check.call().getState() == HealthCheck.State.UP);
            await().atMost(WAIT).until(() -> out.getReceivedCounter() == 3);
        }
    }
}
