package caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.generate.GenFormat;
import caravan.generate.LineGenerator;
import caravan.generate.Schedule;
import caravan.it.Pipeline;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A real Prometheus (Debian's package) scrapes a running Caravan on the devstack with
 * prometheus/caravan-rules.yml loaded, and CaravanDeadLetters fires once bad lines are written.
 * The same run checks that every metric the rules and the Grafana dashboard name is one Caravan
 * exposes, and that the probe paths of the deployment files answer.
 */
class PrometheusIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern METRIC = Pattern.compile("\\b((?:caravan|camel|jvm|process)_[a-z0-9_]+)");
    /** Registered only on a path this run does not take; each is checked against the source instead. */
    private static final Set<String> CONDITIONAL = Set.of(
            "caravan_enrich_rules_reload_failures_total", // an operator bots.yaml/threats.yaml is set
            "caravan_alert_rules_reload_failures_total", // the analyser runs (caravan.alert.enabled)
            "caravan_alert_rules_last_success",
            "caravan_elasticsearch_errors_total"); // a bulk item was retried or rejected, or a request failed
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theDeadLetterAlertFiresAfterBadLines() throws Exception {
        Tools.require("prometheus");
        try (Pipeline p = new Pipeline()) {
            Path log = p.dir.resolve("access.log");
            LineGenerator gen = new LineGenerator(GenFormat.APACHE, new Schedule(50, 0, 0, 1), Instant.now(), 1, 0.05, 0.02);
            List<String> good = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                good.add(gen.next());
            }
            Files.write(log, good);
            p.tailRoute("it-prom", log, "combined", p.dir.resolve("checkpoints"));
            Properties props = p.properties();
            props.setProperty("caravan.metrics.lag-interval-seconds", "1");
            p.start(props);
            p.awaitAllCommitted(good.size(), Duration.ofMinutes(2));

            Path prom = Files.createDirectories(p.dir.resolve("prometheus"));
            int port = freePort();
            Files.writeString(prom.resolve("prometheus.yml"), """
                    global: {scrape_interval: 1s, evaluation_interval: 1s}
                    rule_files: ["%s"]
                    scrape_configs:
                      - job_name: caravan
                        metrics_path: /observe/metrics
                        static_configs: [{targets: ["127.0.0.1:%d"]}]
                    """.formatted(Tools.ROOT.resolve("prometheus/caravan-rules.yml"), p.httpPort));
            Process server = new ProcessBuilder("prometheus", "--config.file=" + prom.resolve("prometheus.yml"),
                    "--storage.tsdb.path=" + prom.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(prom.resolve("prometheus.log").toFile()).start();
            try {
                String api = "http://127.0.0.1:" + port;
                Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> query(api, "up{job=\"caravan\"}").path(0).path("value").path(1).asText().equals("1"));
                assertThat(firing(api, "CaravanDeadLetters")).isFalse();

                // Two rounds: the counter series is born with the first dead letters, and increase() needs a rise.
                appendBad(log, 3);
                Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                        .until(() -> query(api, "caravan_dlq_total").size() > 0);
                Thread.sleep(3000);
                appendBad(log, 3);
                Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> firing(api, "CaravanDeadLetters"));
                JsonNode alert = alerts(api, "CaravanDeadLetters").get(0);
                assertThat(alert.path("labels").path("stage").asText()).isEqualTo("parse");
                assertThat(alert.path("labels").path("dataset").asText()).isEqualTo("apache.access");
                assertThat(firing(api, "CaravanDown")).isFalse();
                // the rules Prometheus loaded are the project's file, all of them
                JsonNode groups = get(api + "/api/v1/rules").path("data").path("groups");
                assertThat(groups.get(0).path("rules").size()).isEqualTo(PrometheusRulesTest.alerts().size());
            } finally {
                server.destroy();
                server.waitFor();
            }

            // A refused route edit registers the reload-failure meters, as in production.
            Files.writeString(p.routes.resolve("broken.yaml"), "- route: {from: {uri: \"tail:\"}\n");
            Awaitility.await().atMost(Duration.ofSeconds(30))
                    .until(() -> p.http("/observe/metrics").body().contains("caravan_routes_reload_failures_total"));
            String scrape = p.http("/observe/metrics").body();
            Files.writeString(Path.of("target", "prometheus-it-scrape.txt"), scrape);
            assertEveryReferencedMetricIsExposed(scrape);
            for (String path : probePaths()) {
                assertThat(p.http(path).statusCode()).as(path).isEqualTo(200);
            }
        }
    }

    private static void assertEveryReferencedMetricIsExposed(String scrape) throws Exception {
        Set<String> exposed = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exposed.add(line.split("[{ ]", 2)[0]);
            }
        }
        Set<String> referenced = new TreeSet<>();
        for (String file : List.of("prometheus/caravan-rules.yml", "grafana/dashboards/caravan.json")) {
            Matcher m = METRIC.matcher(Files.readString(Tools.ROOT.resolve(file)));
            while (m.find()) {
                referenced.add(m.group(1));
            }
        }
        assertThat(referenced).hasSizeGreaterThan(15);
        String sources = sources();
        for (String name : referenced) {
            if (CONDITIONAL.contains(name)) {
                String dotted = name.replaceAll("_total$", "").replace('_', '.');
                assertThat(sources).as("%s is registered in src/main", name).contains("\"" + dotted + "\"");
            } else {
                assertThat(exposed).as("metric %s named by the rules or the dashboard", name).contains(name);
            }
        }
    }

    private static String sources() throws Exception {
        StringBuilder all = new StringBuilder();
        try (var s = Files.walk(Tools.ROOT.resolve("src/main/java"))) {
            for (Path f : s.filter(f -> f.toString().endsWith(".java")).toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    /** The health paths the Dockerfile, compose and k8s/ probe. */
    private static Set<String> probePaths() throws Exception {
        Set<String> paths = new TreeSet<>();
        Pattern path = Pattern.compile("(/observe/[a-z/]+)");
        List<Path> files = new ArrayList<>(List.of(Tools.ROOT.resolve("Dockerfile"), Tools.ROOT.resolve("docker-compose.yml")));
        try (var s = Files.walk(Tools.ROOT.resolve("k8s"))) {
            s.filter(f -> f.toString().endsWith(".yaml") && !f.toString().contains("node_modules")).forEach(files::add);
        }
        for (Path f : files) {
            Matcher m = path.matcher(Files.readString(f));
            while (m.find()) {
                paths.add(m.group(1));
            }
        }
        assertThat(paths).contains("/observe/health/ready", "/observe/health/live", "/observe/metrics");
        return paths;
    }

    private static void appendBad(Path log, int n) throws Exception {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("this is not an access log line ").append(System.nanoTime()).append('\n');
        }
        Files.writeString(log, b, StandardOpenOption.APPEND);
    }

    private JsonNode query(String api, String promql) throws Exception {
        return get(api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data").path("result");
    }

    private boolean firing(String api, String name) throws Exception {
        for (JsonNode a : alerts(api, name)) {
            if (a.path("state").asText().equals("firing")) {
                return true;
            }
        }
        return false;
    }

    private List<JsonNode> alerts(String api, String name) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode a : get(api + "/api/v1/alerts").path("data").path("alerts")) {
            if (a.path("labels").path("alertname").asText().equals(name)) {
                out.add(a);
            }
        }
        return out;
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
