package caravan.enrich.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.common.RuleFileException;
import caravan.enrich.Enricher;
import caravan.enrich.ReloadingEnricher;
import caravan.index.IndexRoute;
import caravan.index.IndexSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.ProcessorDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrichersTest {
    @TempDir
    Path dir;

    private static List<String> names(Map<String, String> settings) {
        return Enrichers.fromSettings(settings::get).stream().map(Enricher::name).toList();
    }

    @Test
    void allFourInOrderUnlessSwitchedOff() {
        Map<String, String> s = new HashMap<>(Map.of("caravan.enrich.geoip.city-db", "src/test/resources/geoip/GeoIP2-City-Test.mmdb"));
        assertThat(names(s)).containsExactly("geoip", "useragent", "bots", "threats");
        s.put("caravan.enrich.useragent.enabled", "false");
        s.put("caravan.enrich.geoip.enabled", "false");
        assertThat(names(s)).containsExactly("bots", "threats");
        s.put("caravan.enrich.bots.enabled", "false");
        s.put("caravan.enrich.threats.enabled", "false");
        assertThat(names(s)).isEmpty();
    }

    @Test
    void aBrokenRulesFileStopsStartUpWithFileLineAndReason() throws Exception {
        Path threats = dir.resolve("threats.yaml");
        Files.writeString(threats, "rules:\n  - id: x\n    category: x\n    severity: urgent\n    keywords: [x]\n");
        assertThatThrownBy(() -> Enrichers.fromSettings(Map.of("caravan.enrich.threats.file", threats.toString(),
                "caravan.enrich.geoip.enabled", "false", "caravan.enrich.useragent.enabled", "false")::get))
                .isInstanceOf(RuleFileException.class)
                .hasMessage(threats + ":4: severity 'urgent' must be one of low, medium, high, critical");
    }

    @Test
    void anEditedThreatsFileTakesOverAndABrokenEditKeepsTheRulesInForce() throws Exception {
        Path threats = dir.resolve("threats.yaml");
        Files.writeString(threats, rule("shop-probe", "probe", "shopadmin"));
        Map<String, String> s = Map.of("caravan.enrich.threats.file", threats.toString(), "caravan.enrich.geoip.enabled", "false",
                "caravan.enrich.useragent.enabled", "false", "caravan.enrich.bots.enabled", "false",
                "caravan.enrich.rules-reload-seconds", "1");
        ReloadingEnricher threatsEnricher = (ReloadingEnricher) Enrichers.fromSettings(s::get).get(0);
        assertThat(flagged(threatsEnricher, "/shopadmin/login")).containsExactly("shop-probe");
        assertThat(flagged(threatsEnricher, "/backoffice/login")).isEmpty();

        Files.writeString(threats, rule("backoffice-probe", "probe", "backoffice"));
        touch(threats, 2_000);
        assertThat(threatsEnricher.reloadIfChanged()).isTrue();
        assertThat(flagged(threatsEnricher, "/backoffice/login")).containsExactly("backoffice-probe");
        assertThat(flagged(threatsEnricher, "/shopadmin/login")).isEmpty();

        double failures = caravan.common.Metrics.registry().counter("caravan.enrich.rules.reload.failures", "enricher", "threats").count();
        Files.writeString(threats, "rules:\n  - id: x\n    category: x\n    severity: urgent\n    keywords: [x]\n");
        touch(threats, 4_000);
        assertThat(threatsEnricher.reloadIfChanged()).isFalse();
        assertThat(flagged(threatsEnricher, "/backoffice/login")).containsExactly("backoffice-probe");
        assertThat(caravan.common.Metrics.registry().counter("caravan.enrich.rules.reload.failures", "enricher", "threats").count())
                .isEqualTo(failures + 1);
        // Unchanged since: nothing to do.
        assertThat(threatsEnricher.reloadIfChanged()).isFalse();
    }

    private static String rule(String id, String category, String keyword) {
        return "rules:\n  - id: " + id + "\n    category: " + category + "\n    severity: low\n    targets: [request]\n"
                + "    keywords: [" + keyword + "]\n";
    }

    private static void touch(Path f, long later) throws Exception {
        Files.setLastModifiedTime(f, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + later));
    }

    @SuppressWarnings("unchecked")
    private static List<String> flagged(Enricher enricher, String url) {
        caravan.event.LogEvent e = new caravan.event.LogEvent();
        e.method = "GET";
        e.urlOriginal = url;
        enricher.enrich(e);
        Object rules = e.get("caravan.threat.rules");
        return rules == null ? List.of() : ((List<String>) rules).stream().filter(r -> r.endsWith("-probe")).toList();
    }

    @Test
    void theIndexRouteRunsTheEnrichersBetweenParseAndRender() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            Properties p = new Properties();
            try (var in = getClass().getResourceAsStream("/application.properties")) {
                p.load(in);
            }
            p.setProperty("caravan.enrich.useragent.enabled", "false"); // keeps the test quick; its step id is tested above
            ctx.getPropertiesComponent().setInitialProperties(p);
            ctx.addRoutes(new IndexRoute(IndexSettings.from(p::getProperty), () -> Enrichers.fromSettings(p::getProperty)));
            List<String> ids = new java.util.ArrayList<>();
            stepIds(((ModelCamelContext) ctx).getRouteDefinition("index").getOutputs(), ids); // the steps run per batch, inside the split
            // After render the batch is submitted to Elasticsearch (the bulk steps live in the index-finish route).
            assertThat(ids).containsSubsequence("parse", "enrich-geoip", "enrich-bots", "enrich-threats", "render", "submit");
        }
    }

    /** The ids of the steps in route order, those nested in an EIP (a split) after the EIP's own. */
    private static void stepIds(List<ProcessorDefinition<?>> outputs, List<String> ids) {
        for (ProcessorDefinition<?> step : outputs) {
            if (step.getId() != null) {
                ids.add(step.getId());
            }
            stepIds(step.getOutputs(), ids);
        }
    }
}
