package caravan.it;

import static caravan.it.SeededIncidents.TIMED;
import static org.assertj.core.api.Assertions.assertThat;

import caravan.alert.AnalyseRoute;
import caravan.alert.Analyser;
import caravan.event.Envelope;
import caravan.parse.Corpus;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@link AlertsIT}'s world: a whole pipeline with the shipped alert rules on every channel, a real
 * SMTP server and a webhook receiver, the 10k corpus tailed and the seeded incidents produced, all
 * indexed before the tests start. It also gives the tests their calls to the API.
 */
final class AlertsRig implements AutoCloseable {
    static final String TOKEN = "s3cret-token-for-it";
    private static final ObjectMapper JSON = new ObjectMapper();

    // not final: a set-up that fails half-way closes what it had started
    Pipeline p;
    GreenMail smtp;
    HttpServer webhook;
    /** Every webhook POST received, as JSON. */
    final List<JsonNode> hooks = new CopyOnWriteArrayList<>();
    Analyser analyser;
    List<String> corpusLines;
    Properties settings;

    AlertsRig() throws Exception {
        try {
            start();
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void start() throws Exception {
        smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hook", ex -> {
            hooks.add(JSON.readTree(ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        webhook.start();

        p = new Pipeline();
        // The shipped rules, with every channel switched on.
        Path rules = p.dir.resolve("alerts.yaml");
        Files.writeString(rules, Files.readString(Path.of("alerts.yaml"))
                .replace("notify: [log, index]", "notify: [log, index, webhook, email]"));
        Path tokenFile = Files.writeString(p.dir.resolve("api-token"), TOKEN + "\n");
        Properties props = p.properties();
        props.setProperty("caravan.alert.enabled", "true");
        props.setProperty("caravan.api.enabled", "true");
        props.setProperty("caravan.api.token-file", tokenFile.toString());
        props.setProperty("caravan.alert.rules-file", rules.toString());
        props.setProperty("caravan.alert.rules-reload-seconds", "1");
        props.setProperty("caravan.alert.source-indices", p.indices());
        props.setProperty("caravan.alert.index-prefix", "caravan-" + p.namespace);
        props.setProperty("caravan.alert.stats-replicas", "0");
        props.setProperty("caravan.alert.webhook.url", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook");
        props.setProperty("caravan.alert.email.host", "127.0.0.1");
        props.setProperty("caravan.alert.email.port", Integer.toString(smtp.getSmtp().getPort()));
        props.setProperty("caravan.alert.email.security", "none");
        props.setProperty("caravan.alert.email.to", "ops@example.org");

        Path log = p.dir.resolve("access.log");
        Files.createFile(log);
        p.tailRoute("it-corpus", log, "combined", p.dir.resolve("checkpoints"));
        settings = props;
        p.start(props);
        analyser = p.runtime().context().getRegistry().lookupByNameAndType(AnalyseRoute.ANALYSER, Analyser.class);

        corpusLines = Lines.parseableCorpus();
        Files.write(log, Files.readAllLines(Corpus.COMBINED_10K, StandardCharsets.UTF_8), StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);
        List<String> incidents = SeededIncidents.lines();
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        long offset = 0;
        for (String line : incidents) {
            Envelope env = new Envelope(line, "/var/log/shop/access.log", offset, "shop-1", "apache.access",
                    "2015-05-20T22:30:00Z", "shop", "it-shop", TIMED, "shop-file");
            offset += line.length() + 1;
            records.add(new ProducerRecord<>(p.topic, env.key(), env.toJson()));
        }
        p.produce(p.topic, records);
        p.awaitCount(corpusLines.size() + incidents.size(), Duration.ofMinutes(3));
        assertThat(p.count()).isEqualTo(corpusLines.size() + incidents.size());
    }

    @Override
    public void close() {
        if (p != null) {
            p.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    /** A GET of the API, with the bearer token if one is given. */
    HttpResponse<String> api(String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST to the API with the right token and no body. */
    HttpResponse<String> post(String pathAndQuery) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + p.httpPort + pathAndQuery))
                .header("Authorization", "Bearer " + TOKEN).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The response's JSON, after checking its status and content type. */
    static JsonNode json(HttpResponse<String> r, int status) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        return JSON.readTree(r.body());
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
