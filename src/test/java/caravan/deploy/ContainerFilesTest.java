package caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Dockerfile, .dockerignore and docker-compose.yml: free of the defects issue 17 lists. */
class ContainerFilesTest {

    @Test
    void dockerfileBuildsFromSourceAsNonRootWithAHealthCheck() throws Exception {
        List<String> lines = Files.readAllLines(Tools.ROOT.resolve("Dockerfile"));
        List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(from).hasSize(2);
        assertThat(from.get(0)).startsWith("FROM maven:").endsWith(" AS build");
        String text = String.join("\n", lines);
        assertThat(text).contains("COPY pom.xml", "COPY src ", "-DskipTests package", "COPY --from=build ");
        assertThat(text).doesNotContain("COPY target/"); // no host build needed
        String user = lines.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        assertThat(user).doesNotContain("root").isNotEqualTo("USER 0");
        assertThat(text).containsPattern("HEALTHCHECK [^\\n]*\\\\\\n\\s+CMD .*/observe/health/ready");
        assertThat(text).contains("-XX:MaxRAMPercentage=");
        assertThat(text).doesNotContainPattern("-Xmx\\d");
    }

    @Test
    void dockerignoreKeepsTargetAndGitOut() throws Exception {
        List<String> ignored = Files.readAllLines(Tools.ROOT.resolve(".dockerignore"));
        assertThat(ignored).contains(".git", "target");
        assertThat(ignored).doesNotContain("src", "pom.xml", "routes", "application.properties", "alerts.yaml");
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeHasNoneOfTheListedDefects() throws Exception {
        Map<String, Object> compose = (Map<String, Object>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(Tools.ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        // Kafka writes into its persisted volume
        Map<String, Object> kafka = services.get("kafka");
        String logDirs = (String) ((Map<String, Object>) kafka.get("environment")).get("KAFKA_LOG_DIRS");
        assertThat(logDirs).isNotNull();
        assertThat((List<String>) kafka.get("volumes")).anySatisfy(v -> assertThat(v).endsWith(":" + logDirs));
        // restart policies on every long-running service, a one-shot loader that does not restart
        services.forEach((name, s) -> assertThat(s.get("restart")).as("restart of %s", name)
                .isEqualTo(name.equals("kibana-setup") ? "no" : "unless-stopped"));
        Map<String, Object> caravan = services.get("caravan");
        // longer than the drain
        int drain = Integer.parseInt(Tools.defaults().getProperty("caravan.shutdown.timeout-seconds").trim());
        assertThat(seconds((String) caravan.get("stop_grace_period"))).isGreaterThan(drain);
        // health checks for Caravan and Kibana
        assertThat(String.valueOf(((Map<String, Object>) caravan.get("healthcheck")).get("test"))).contains("/observe/health/ready");
        assertThat(String.valueOf(((Map<String, Object>) services.get("kibana").get("healthcheck")).get("test"))).contains("/api/status");
        // a heap that follows the limit
        Map<String, Object> env = (Map<String, Object>) caravan.get("environment");
        assertThat((String) env.get("JAVA_TOOL_OPTIONS")).contains("MaxRAMPercentage");
        assertThat(((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) caravan.get("deploy")).get("resources"))
                .get("limits")).get("memory")).isNotNull();
        // a stable host.name
        assertThat(caravan.get("hostname")).isNotNull();
        assertThat(env.get("CARAVAN_HOST_NAME")).isEqualTo(caravan.get("hostname"));
        assertThat(Tools.defaults()).containsKey("caravan.host.name");
        // only alerts.yaml, not the project, is mounted
        List<String> volumes = (List<String>) caravan.get("volumes");
        assertThat(volumes).noneMatch(v -> v.startsWith(".:") || v.startsWith("./:"));
        assertThat(volumes).contains("./alerts.yaml:" + env.get("CARAVAN_ALERT_RULES_FILE") + ":ro");
        // Prometheus scrapes Caravan; Grafana is provisioned; GeoIP volume; Kibana objects loader
        assertThat(services).containsKeys("prometheus", "grafana", "geoipupdate", "kibana-setup");
        assertThat(volumes).anyMatch(v -> v.startsWith("geoip:/usr/share/GeoIP"));
        assertThat(String.valueOf(services.get("kibana-setup").get("command"))).contains("setup", "kibana");
        assertThat(Files.readString(Tools.ROOT.resolve("prometheus/prometheus.yml"))).contains("caravan:9876", "/observe/metrics",
                "caravan-rules.yml");
        assertThat(Tools.ROOT.resolve("grafana/provisioning/datasources/prometheus.yml")).exists();
        assertThat(Tools.ROOT.resolve("grafana/dashboards/caravan.json")).exists();
    }

    @Test
    void dockerComposeConfigPasses() throws Exception {
        Tools.require("docker");
        Tools.Result version = Tools.run(Tools.ROOT, null, "docker", "compose", "version");
        org.junit.jupiter.api.Assumptions.assumeTrue(version.exit() == 0,
                "docker has no compose plugin here (" + version.output().lines().findFirst().orElse("") + ")");
        Tools.Result r = Tools.run(Tools.ROOT, null, "docker", "compose", "config", "--quiet");
        assertThat(r.exit()).as(r.output()).isZero();
    }

    private static int seconds(String duration) {
        assertThat(duration).matches("\\d+s");
        return Integer.parseInt(duration.substring(0, duration.length() - 1));
    }
}
