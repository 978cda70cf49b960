package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.common.Metrics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A ship-only process serves /observe from the JDK's HTTP server, with Camel's health semantics and the Prometheus scrape. */
class ObserveServerTest {
    @TempDir
    static Path dir;
    private static CaravanRuntime rt;
    private static String base;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startShipOnly() throws Exception {
        Properties p = NoServers.settings(dir); // Kafka at 127.0.0.1:1: nothing listens
        p.setProperty("caravan.ship.enabled", "true");
        p.setProperty("caravan.index.enabled", "false");
        p.setProperty("caravan.alert.enabled", "false");
        p.setProperty("caravan.api.enabled", "false");
        p.setProperty("caravan.health.summary-seconds", "0");
        p.setProperty("caravan.http.enabled", "true");
        p.setProperty("caravan.http.port", "0");
        rt = new CaravanRuntime(null, p, java.util.Map.of()).start();
        ObserveServer server = rt.context().hasService(ObserveServer.class);
        assertThat(server).as("the ship-only process runs the JDK server").isNotNull();
        assertThat(server.address()).startsWith("127.0.0.1:").isNotEqualTo("127.0.0.1:0");
        base = "http://" + server.address() + "/observe";
    }

    @AfterAll
    static void stop() {
        if (rt != null) {
            rt.close();
        }
    }

    private HttpResponse<String> get(String path, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void noVertxServerInAShipOnlyProcess() {
        assertThat(rt.context().hasService(VertxPlatformHttpServer.class)).isNull();
    }

    @Test
    void readinessIsDownWhileKafkaIsUnreachableAndLivenessIsUp() throws Exception {
        HttpResponse<String> ready = get("/health/ready", null);
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(ready.body()).contains("\"status\":\"DOWN\"", "\"name\":\"kafka\"", "Kafka unreachable");

        HttpResponse<String> live = get("/health/live", null);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"UP\"").doesNotContain("kafka");

        HttpResponse<String> all = get("/health", null);
        assertThat(all.statusCode()).isEqualTo(503);
        assertThat(all.body()).contains("\"name\":\"kafka\"", "\"name\":\"route:ship\"");
    }

    @Test
    void metricsAreThePrometheusScrapeInEitherFormat() throws Exception {
        HttpResponse<String> text = get("/metrics", null);
        assertThat(text.statusCode()).isEqualTo(200);
        assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(text.body()).contains("camel_exchanges_total", "routeId=\"ship\"", "jvm_memory_used_bytes")
                .doesNotContain("# EOF");

        HttpResponse<String> open = get("/metrics", "application/openmetrics-text; version=1.0.0");
        assertThat(open.headers().firstValue("Content-Type")).hasValue("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(open.body()).contains("camel_exchanges").endsWith("# EOF\n");
    }

    @Test
    void otherPathsAndMethodsAreRefused() throws Exception {
        assertThat(get("/healthz", null).statusCode()).isEqualTo(404);
        assertThat(get("/metrics/x", null).statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void aTakenPortStopsTheStartWithTheSettingToChange() throws Exception {
        try (var taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                var ctx = new DefaultCamelContext()) {
            ObserveServer server = new ObserveServer(ctx, Metrics.prometheus(), "127.0.0.1", taken.getLocalPort());
            assertThatThrownBy(server::start)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort()).hasMessageContaining("caravan.http.port");
        }
    }
}
