package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pod behind a Service named caravan gets CARAVAN_SERVICE_HOST, CARAVAN_PORT_*...: Caravan starts, with a warning. */
class KubernetesEnvironmentTest {
    private static final Map<String, String> SERVICE_LINKS = Map.of(
            "CARAVAN_SERVICE_HOST", "10.96.0.17", "CARAVAN_SERVICE_PORT", "9876", "CARAVAN_SERVICE_PORT_HTTP", "9876",
            "CARAVAN_PORT", "tcp://10.96.0.17:9876", "CARAVAN_PORT_9876_TCP", "tcp://10.96.0.17:9876",
            "CARAVAN_PORT_9876_TCP_PROTO", "tcp", "CARAVAN_PORT_9876_TCP_PORT", "9876", "CARAVAN_PORT_9876_TCP_ADDR", "10.96.0.17",
            "CARAVAN_KAFKA_BROKERS", "127.0.0.1:1");

    @TempDir
    Path dir;

    private Properties settings() throws Exception {
        // a shipper pod, where Kubernetes sets the service-link variables
        Properties p = NoServers.shipping(dir);
        p.setProperty("caravan.index.enabled", "false");
        return p;
    }

    @Test
    void serviceLinkVariablesGiveOneWarningAndTheRuntimeStarts() throws Exception {
        try (CaravanRuntime rt = new CaravanRuntime(null, settings(), SERVICE_LINKS)) {
            rt.start();
            assertThat(rt.context().getStatus()).isEqualTo(ServiceStatus.Started);
            assertThat(rt.environmentWarning()).startsWith("ignoring 8 CARAVAN_* environment variable(s)")
                    .contains("CARAVAN_SERVICE_HOST", "CARAVAN_PORT_9876_TCP_ADDR").doesNotContain("CARAVAN_KAFKA_BROKERS");
        }
    }

    @Test
    void aTypoInTheSettingsFileStillStopsTheStart() throws Exception {
        Path file = Files.writeString(dir.resolve("app.properties"), "caravan.kafka.brokrs = k:9092\n");
        assertThatThrownBy(() -> new CaravanRuntime(file, settings(), SERVICE_LINKS))
                .hasMessageContaining("unknown setting 'caravan.kafka.brokrs'").hasMessageContaining("caravan.kafka.brokers");
    }
}
