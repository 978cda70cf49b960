package caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** prometheus/caravan-rules.yml passes promtool, and its unit tests make every alert fire. */
class PrometheusRulesTest {
    private static final Path DIR = Tools.ROOT.resolve("prometheus");

    @Test
    void promtoolCheckRules() throws Exception {
        Tools.require("promtool");
        Tools.Result r = Tools.run(DIR, null, "promtool", "check", "rules", "caravan-rules.yml");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    void promtoolTestRules() throws Exception {
        Tools.require("promtool");
        Tools.Result r = Tools.run(DIR, null, "promtool", "test", "rules", "caravan-rules.test.yml");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(r.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertHasATestWhereItFires() throws Exception {
        assertThat(alerts()).containsExactlyInAnyOrder("CaravanDown", "CaravanDeadLetters", "CaravanCircuitOpen",
                "CaravanConsumerLagGrowing", "CaravanTailLagGrowing", "CaravanCheckpointWritesFailing", "CaravanReloadFailing",
                "CaravanNoEventsIndexed");
        Set<String> firing = new HashSet<>();
        Map<?, ?> tests = (Map<?, ?>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(DIR.resolve("caravan-rules.test.yml")));
        for (Object t : (List<?>) tests.get("tests")) {
            for (Object a : (List<?>) ((Map<?, ?>) t).get("alert_rule_test")) {
                Map<?, ?> at = (Map<?, ?>) a;
                if (!((List<?>) at.get("exp_alerts")).isEmpty()) {
                    firing.add((String) at.get("alertname"));
                }
            }
        }
        assertThat(firing).containsExactlyInAnyOrderElementsOf(alerts());
    }

    /** The alert names in the rules file. */
    static List<String> alerts() throws Exception {
        return rules().stream().map(r -> (String) r.get("alert")).toList();
    }

    static List<Map<?, ?>> rules() throws Exception {
        Map<?, ?> doc = (Map<?, ?>) new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(DIR.resolve("caravan-rules.yml")));
        List<Map<?, ?>> out = new ArrayList<>();
        for (Object g : (List<?>) doc.get("groups")) {
            for (Object r : (List<?>) ((Map<?, ?>) g).get("rules")) {
                out.add((Map<?, ?>) r);
            }
        }
        return out;
    }
}
