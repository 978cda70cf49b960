package caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.ops.ConfigValidator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * k8s/: the example overlay (with the base) renders with kustomize, validates against the
 * Kubernetes v1.36.0 schema, and every ConfigMap, Secret, port, path and setting it names exists.
 */
class K8sManifestsTest {
    private static final Path K8S = Tools.ROOT.resolve("k8s");
    private static List<Map<String, Object>> objects;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void render() throws Exception {
        Tools.require("kubectl");
        Tools.Result r = Tools.run(K8S, null, "kubectl", "kustomize", "overlays/example");
        assertThat(r.exit()).as(r.output()).isZero();
        objects = new ArrayList<>();
        for (Object o : new Load(LoadSettings.builder().build()).loadAllFromString(r.output())) {
            if (o != null) {
                objects.add((Map<String, Object>) o);
            }
        }
    }

    @Test
    void validAgainstTheKubernetesSchema() throws Exception {
        Tools.require("node");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(K8S.resolve("schema-check/node_modules/kubernetes-models")),
                "k8s/schema-check/node_modules is missing: run .ci/tools.sh (npm ci there) to validate against the schema");
        Tools.Result r = Tools.run(K8S.resolve("schema-check"), new ObjectMapper().writeValueAsString(objects), "node", "validate.mjs");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output().lines().filter(l -> l.startsWith("OK ")).count()).isEqualTo(objects.size());
        // the validator does refuse a broken object
        Map<String, Object> broken = new java.util.HashMap<>(find("Deployment", "caravan-index"));
        broken.put("spec", Map.of("replicas", "three"));
        Tools.Result bad = Tools.run(K8S.resolve("schema-check"), new ObjectMapper().writeValueAsString(List.of(broken)),
                "node", "validate.mjs");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.output()).contains("replicas must be integer");
    }

    @Test
    void theWorkloadsAreThere() {
        assertThat(kinds()).contains("DaemonSet/caravan-ship", "Deployment/caravan-index", "PodDisruptionBudget/caravan-index",
                "Service/caravan-index", "ServiceMonitor/caravan-index", "PodMonitor/caravan-ship", "ConfigMap/caravan-settings");
        Map<String, Object> ship = podSpec(find("DaemonSet", "caravan-ship"));
        List<Map<String, Object>> volumes = list(ship.get("volumes"));
        assertThat(volumes).anySatisfy(v -> assertThat(map(v.get("hostPath"))).containsEntry("path", "/var/log"));
        assertThat(volumes).anySatisfy(v -> assertThat(map(v.get("hostPath"))).containsEntry("path", "/var/lib/caravan/ship"));
        Map<String, Object> c = list(ship.get("containers")).get(0);
        assertThat(list(c.get("volumeMounts"))).anySatisfy(m -> {
            assertThat(m).containsEntry("mountPath", "/var/log").containsEntry("readOnly", true);
        });
    }

    @Test
    void everyReferenceResolves() throws Exception {
        Set<String> known = new ConfigValidator().knownKeys();
        Map<String, Object> settings = map(find("ConfigMap", "caravan-settings").get("data"));
        for (String workload : List.of("DaemonSet/caravan-ship", "Deployment/caravan-index")) {
            String[] kn = workload.split("/");
            Map<String, Object> pod = podSpec(find(kn[0], kn[1]));
            Map<String, String> mounts = new java.util.HashMap<>(); // mount path -> volume
            Map<String, Map<String, Object>> volumes = new java.util.HashMap<>();
            for (Map<String, Object> v : list(pod.get("volumes"))) {
                volumes.put((String) v.get("name"), v);
                if (v.get("configMap") != null) {
                    assertThat(find("ConfigMap", (String) map(v.get("configMap")).get("name"))).as(workload).isNotNull();
                }
                if (v.get("secret") != null) {
                    assertThat(find("Secret", (String) map(v.get("secret")).get("secretName"))).as(workload).isNotNull();
                }
            }
            List<Map<String, Object>> containers = new ArrayList<>(list(pod.get("containers")));
            containers.addAll(list(pod.get("initContainers")));
            for (Map<String, Object> c : containers) {
                assertThat(map(c.get("resources")).get("limits")).as("limits of %s", workload).isNotNull();
                Map<String, Object> sc = map(c.get("securityContext"));
                assertThat(sc).containsEntry("allowPrivilegeEscalation", false).containsEntry("readOnlyRootFilesystem", true);
                assertThat(list(map(sc.get("capabilities")).get("drop"))).isEqualTo(List.of("ALL"));
                for (Map<String, Object> m : list(c.get("volumeMounts"))) {
                    assertThat(volumes).as("volume of mount %s", m).containsKey((String) m.get("name"));
                    mounts.put((String) m.get("mountPath"), (String) m.get("name"));
                }
                Set<String> ports = new HashSet<>();
                list(c.get("ports")).forEach(p -> ports.add((String) p.get("name")));
                for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                    if (c.get(probe) != null) {
                        Map<String, Object> get = map(map(c.get(probe)).get("httpGet"));
                        assertThat(ports).as("%s port of %s", probe, workload).contains((String) get.get("port"));
                        assertThat((String) get.get("path")).isIn("/observe/health/live", "/observe/health/ready");
                    }
                }
                Map<String, String> env = new java.util.HashMap<>();
                for (Map<String, Object> ef : list(c.get("envFrom"))) {
                    String cm = (String) map(ef.get("configMapRef")).get("name");
                    map(find("ConfigMap", cm).get("data")).forEach((k, v) -> env.put(k, String.valueOf(v)));
                }
                list(c.get("env")).forEach(e -> env.put((String) e.get("name"), String.valueOf(e.get("value"))));
                for (Map.Entry<String, String> e : env.entrySet()) {
                    if (e.getKey().startsWith("CARAVAN_")) {
                        assertThat(known.stream().map(ConfigValidator::envName)).as("setting behind %s", e.getKey())
                                .contains(e.getKey());
                    } else {
                        assertThat(e.getKey()).isEqualTo("JAVA_TOOL_OPTIONS");
                    }
                }
                if (c.get("envFrom") != null) {
                    // files the settings name are in the mounted ConfigMaps and Secrets
                    assertFileMounted(env.get("CARAVAN_ALERT_RULES_FILE"), mounts, volumes);
                    assertFileMounted(env.get("CARAVAN_ELASTICSEARCH_PASSWORD_FILE"), mounts, volumes);
                    if (env.containsKey("CARAVAN_API_TOKEN_FILE")) {
                        assertFileMounted(env.get("CARAVAN_API_TOKEN_FILE"), mounts, volumes);
                    }
                    assertThat(mounts).containsKey(env.get("CARAVAN_ROUTES_DIR"));
                    assertThat(env).containsEntry("CARAVAN_HTTP_HOST", "0.0.0.0");
                    assertThat(ports).contains("http");
                    assertThat(list(c.get("ports")).get(0).get("containerPort"))
                            .isEqualTo(Integer.parseInt(env.getOrDefault("CARAVAN_HTTP_PORT",
                                    Tools.defaults().getProperty("caravan.http.port").trim())));
                }
            }
            int drain = Integer.parseInt(String.valueOf(settings.get("CARAVAN_SHUTDOWN_TIMEOUT_SECONDS")));
            assertThat((Integer) pod.get("terminationGracePeriodSeconds")).isGreaterThan(drain);
        }
        assertThat(settings).isNotEmpty();
    }

    @Test
    void servicesAndMonitorsPointAtRealPorts() {
        Map<String, Object> svc = map(find("Service", "caravan-index").get("spec"));
        Map<String, Object> port = list(svc.get("ports")).get(0);
        assertThat(port).containsEntry("targetPort", "http").containsEntry("name", "http");
        Map<String, Object> sm = map(find("ServiceMonitor", "caravan-index").get("spec"));
        assertThat(list(sm.get("endpoints")).get(0)).containsEntry("port", "http").containsEntry("path", "/observe/metrics");
        assertThat(map(map(sm.get("selector")).get("matchLabels"))).isEqualTo(map(svc.get("selector")));
        Map<String, Object> pm = map(find("PodMonitor", "caravan-ship").get("spec"));
        assertThat(list(pm.get("podMetricsEndpoints")).get(0)).containsEntry("port", "http").containsEntry("path", "/observe/metrics");
        Map<String, Object> shipLabels = map(map(map(map(find("DaemonSet", "caravan-ship").get("spec")).get("template")).get("metadata")).get("labels"));
        assertThat(shipLabels).containsAllEntriesOf(map(map(pm.get("selector")).get("matchLabels")));
    }

    @Test
    void theAlertRulesConfigMapIsTheProjectsAlertsYaml() throws Exception {
        assertThat(Files.readString(K8S.resolve("base/config/alerts.yaml"))).isEqualTo(Files.readString(Tools.ROOT.resolve("alerts.yaml")));
    }

    private static void assertFileMounted(String file, Map<String, String> mounts, Map<String, Map<String, Object>> volumes) {
        assertThat(file).isNotNull();
        Path p = Path.of(file);
        String volume = mounts.get(p.getParent().toString());
        assertThat(volume).as("a volume mounted at %s", p.getParent()).isNotNull();
        Map<String, Object> v = volumes.get(volume);
        Map<String, Object> obj = v.get("secret") != null ? find("Secret", (String) map(v.get("secret")).get("secretName"))
                : find("ConfigMap", (String) map(v.get("configMap")).get("name"));
        assertThat(map(obj.get("data"))).as("key %s", p.getFileName()).containsKey(p.getFileName().toString());
    }

    private static Set<String> kinds() {
        Set<String> out = new HashSet<>();
        objects.forEach(o -> out.add(o.get("kind") + "/" + map(o.get("metadata")).get("name")));
        return out;
    }

    private static Map<String, Object> find(String kind, String name) {
        return objects.stream().filter(o -> kind.equals(o.get("kind")) && name.equals(map(o.get("metadata")).get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the rendered k8s/"));
    }

    private static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(map(map(workload.get("spec")).get("template")).get("spec"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return o == null ? List.of() : (List<Map<String, Object>>) o;
    }
}
