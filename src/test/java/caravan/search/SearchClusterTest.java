package caravan.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Engine detection and refusals against a small HTTP server that answers GET / as told. */
class SearchClusterTest {
    private HttpServer server;
    private RestClient client;
    private final AtomicReference<String> body = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] b = body.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status.get(), b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        client = ElasticsearchClients.create("http://127.0.0.1:" + server.getAddress().getPort(), null, null, null);
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.stop(0);
    }

    @Test
    void theEngineIsAskedOnceAndAgainAfterAnOutage() throws Exception {
        body.set("{\"version\":{\"distribution\":\"opensearch\",\"number\":\"2.19.6\"}}");
        SearchCluster c = new SearchCluster(client);
        SearchEngine first = c.engine();
        assertThat(first).hasToString("OpenSearch 2.19.6");
        body.set("{\"version\":{\"number\":\"8.19.21\"},\"tagline\":\"You Know, for Search\"}");
        assertThat(c.engine()).isSameAs(first); // known: not asked again
        c.forget();
        assertThat(c.engine()).hasToString("Elasticsearch 8.19.21");
    }

    @Test
    void wrongCredentialsAndOldVersionsAreRefusalsThatReadinessCanShow() throws Exception {
        SearchCluster c = new SearchCluster(client);
        status.set(401);
        body.set("{\"error\":{\"type\":\"security_exception\",\"reason\":\"missing authentication credentials\"},\"status\":401}");
        assertThatThrownBy(c::detect).isInstanceOfSatisfying(SearchRefused.class,
                r -> assertThat(r.kind()).isEqualTo(SearchRefused.Kind.AUTHENTICATION))
                .hasMessageContaining("security_exception: missing authentication credentials");
        assertThat(c.refusal()).isNotNull();
        status.set(200);
        body.set("{\"version\":{\"number\":\"7.17.25\"},\"tagline\":\"You Know, for Search\"}");
        assertThatThrownBy(c::detect).isInstanceOfSatisfying(SearchRefused.class,
                r -> assertThat(r.kind()).isEqualTo(SearchRefused.Kind.UNSUPPORTED)).hasMessageContaining("7.17.25");
        c.accepted();
        assertThat(c.refusal()).isNull();
    }
}
