package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.FileTrees;
import caravan.index.ElasticsearchHealthCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A search engine behind TLS with its own CA and an API key (the default of a self-managed
 * Elasticsearch 8 or 9): Caravan indexes through it with the CA file and with the CA's fingerprint;
 * a wrong CA, a wrong key and no key each stop indexing with readiness down and a message that
 * names the setting to change, and nothing is dead-lettered or counted as an outage.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredSearchIT {
    private static final String KEY = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
    private Path dir;
    private TlsProxy proxy;

    @BeforeAll
    void startProxy() throws Exception {
        dir = Files.createTempDirectory("caravan-tls-");
        proxy = new TlsProxy(dir, caravan.devstack.DevStack.shared().elasticsearchUrl(), KEY);
    }

    @AfterAll
    void stopProxy() throws java.io.IOException {
        if (proxy != null) {
            proxy.close();
        }
        if (dir != null) {
            FileTrees.delete(dir);
        }
    }

    @Test
    void indexesThroughTlsWithTheCaFileAndTheApiKeyFromAFile() throws Exception {
        Properties extra = new Properties();
        extra.setProperty("caravan.elasticsearch.ca-file", proxy.caPem.toString());
        indexes(extra, Files.writeString(dir.resolve("api-key"), KEY + "\n"));
    }

    @Test
    void indexesThroughTlsWithTheCaFingerprint() throws Exception {
        Properties extra = new Properties();
        extra.setProperty("caravan.elasticsearch.ca-fingerprint", proxy.caFingerprint());
        indexes(extra, Files.writeString(dir.resolve("api-key-2"), KEY));
    }

    @Test
    void anUntrustedCertificateStopsIndexingAndSaysWhy() throws Exception {
        Properties extra = new Properties();
        extra.setProperty("caravan.elasticsearch.ca-file", proxy.otherCaPem.toString());
        refused(extra, Files.writeString(dir.resolve("api-key-3"), KEY), "tls", "caravan.elasticsearch.ca-file");
    }

    @Test
    void aWrongApiKeyStopsIndexingAndSaysWhy() throws Exception {
        Properties extra = new Properties();
        extra.setProperty("caravan.elasticsearch.ca-file", proxy.caPem.toString());
        refused(extra, Files.writeString(dir.resolve("api-key-4"), "d3Jvbmc6a2V5"), "authentication",
                "caravan.elasticsearch.api-key-file");
    }

    @Test
    void noApiKeyStopsIndexingAndSaysWhy() throws Exception {
        Properties extra = new Properties();
        extra.setProperty("caravan.elasticsearch.ca-file", proxy.caPem.toString());
        refused(extra, null, "authentication", "401");
    }

    @Test
    void checkConnectSaysHowItConnectedAndWhatAnswered() throws Exception {
        try (Pipeline p = new Pipeline(proxy.url())) {
            Properties props = p.properties();
            props.setProperty("caravan.elasticsearch.ca-file", proxy.caPem.toString());
            props.setProperty("caravan.elasticsearch.api-key-file", Files.writeString(dir.resolve("api-key-5"), KEY).toString());
            props.setProperty("caravan.kafka.create-topics", "true"); // --connect checks Kafka too: its topics exist
            Run ok = check(p.writeConfig(props, "good.properties"));
            assertThat(ok.code).as(ok.err).isZero();
            assertThat(ok.out).contains("search: connected to " + proxy.url() + ": TLS ok, certificate trusted ("
                    + proxy.caPem + "), host name verified, API key accepted")
                    .contains("search: Elasticsearch 9.2.2, supported")
                    .contains("search: privileges not checked: security is off on this cluster");
            props.setProperty("caravan.elasticsearch.ca-file", proxy.otherCaPem.toString());
            Run badCa = check(p.writeConfig(props, "bad-ca.properties"));
            assertThat(badCa.code).isEqualTo(1);
            assertThat(badCa.err).contains("error: search: GET /: TLS with the search engine failed").contains("ca-file");
            props.setProperty("caravan.elasticsearch.ca-file", proxy.caPem.toString());
            props.setProperty("caravan.elasticsearch.api-key-file", Files.writeString(dir.resolve("api-key-6"), "bm9wZQ==").toString());
            Run badKey = check(p.writeConfig(props, "bad-key.properties"));
            assertThat(badKey.code).isEqualTo(1);
            assertThat(badKey.err).contains("error: search: GET / refused with 401 (security_exception");
        }
    }

    private record Run(int code, String out, String err) {
    }

    private static Run check(Path config) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = caravan.ops.Caravan.commandLine().setOut(new java.io.PrintWriter(out, true))
                .setErr(new java.io.PrintWriter(err, true)).execute("check", "--connect", "--config", config.toString());
        return new Run(code, out.toString(), err.toString());
    }

    private Pipeline pipeline(Properties extra, Path keyFile, int lines) throws Exception {
        Pipeline p = new Pipeline(proxy.url());
        p.produce(p.topic, new Lines("tls-host", "tls-" + p.id).corpusLines(lines).records);
        Properties props = p.properties();
        props.setProperty("caravan.ship.enabled", "false");
        props.setProperty("caravan.enrich.useragent.enabled", "false");
        props.setProperty("caravan.index.refused-retry-ms", "1000");
        if (keyFile != null) {
            props.setProperty("caravan.elasticsearch.api-key-file", keyFile.toString());
        }
        props.putAll(extra);
        p.start(props);
        return p;
    }

    private void indexes(Properties extra, Path keyFile) throws Exception {
        try (Pipeline p = pipeline(extra, keyFile, 50)) {
            p.awaitAllCommitted(50, Duration.ofMinutes(1));
            assertThat(p.count()).isEqualTo(50); // counted through the proxy, with the same client
            assertThat(p.health()).isEqualTo(HealthCheck.State.UP);
        }
    }

    private void refused(Properties extra, Path keyFile, String kind, String fix) throws Exception {
        try (Pipeline p = pipeline(extra, keyFile, 10)) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> p.health() == HealthCheck.State.DOWN);
            var result = HealthCheckRegistry.get(p.runtime().context()).getCheck(ElasticsearchHealthCheck.ID)
                    .orElseThrow().call();
            assertThat(result.getDetails()).containsEntry("refused", kind);
            assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains(fix));
            Thread.sleep(2_000);
            assertThat(p.breaker().opens()).as("not an outage").isZero();
            assertThat(p.topicRecords(p.dlqTopic())).as("nothing dead-lettered").isZero();
            assertThat(p.committed()).isZero();
            try (var direct = caravan.search.ElasticsearchClients.create(p.stack.elasticsearchUrl(), null, null, null)) {
                assertThat(new caravan.search.SearchClient(direct).count(p.indices())).as("nothing reached the engine").isZero();
            }
        }
    }
}
