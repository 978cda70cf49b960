package caravan.alert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.common.RuleFile;
import caravan.common.RuleFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertRulesTest {
    private static final Set<String> ALL = Set.of("log", "index", "webhook", "email");

    private static List<Rule> parse(String yaml, Set<String> channels) {
        return AlertRules.parse(RuleFile.parse("alerts.yaml", yaml), channels);
    }

    @Test
    void theShippedFileLoads() {
        List<Rule> rules = AlertRules.load(Path.of("alerts.yaml"), Set.of("log", "index"));
        assertThat(rules).extracting(Rule::id).containsExactly("error-rate", "server-errors", "brute-force", "threat-ip",
                "traffic-spike", "slow-endpoint", "new-attacker");
        assertThat(rules.get(6).cooldown()).isEqualTo(Duration.ofHours(1));
        assertThat(rules.get(0).detector()).isInstanceOf(ThresholdDetector.class);
    }

    @Test
    void defaultsApply() {
        Rule r = parse("rules:\n  - {id: a, type: spike}\n", ALL).get(0);
        assertThat(r.severity()).isEqualTo("medium");
        assertThat(r.channels()).containsExactly("log", "index");
        assertThat(r.cooldown()).isEqualTo(Duration.ofMinutes(30));
        assertThat(r.dataset()).isNull();
        assertThat(parse("rules:\n  - {id: a, type: spike, enabled: false}\n", ALL)).isEmpty();
    }

    @Test
    void mistakesNameFileLineRuleAndField() {
        assertThatThrownBy(() -> parse("rules:\n  - id: x\n    type: treshold\n", ALL))
                .isInstanceOf(RuleFileException.class)
                .hasMessageStartingWith("alerts.yaml:3: rule 'x': unknown type 'treshold' (use one of ");
        assertThatThrownBy(() -> parse("rules:\n  - id: x\n    type: threshold\n    metric: errors\n    abve: 3\n", ALL))
                .hasMessageStartingWith("alerts.yaml:5: rule 'x': unknown key 'abve'");
        assertThatThrownBy(() -> parse("rules:\n  - id: x\n    type: threshold\n    metric: errors\n    above: lots\n", ALL))
                .hasMessage("alerts.yaml:5: rule 'x': field 'above': 'lots' is not a number");
        assertThatThrownBy(() -> parse("rules:\n  - id: x\n    type: threshold\n    metric: errors\n", ALL))
                .hasMessage("alerts.yaml:2: rule 'x': field 'above' is required");
        assertThatThrownBy(() -> parse("rules:\n  - id: x\n    type: threshold\n    metric: eror_rate\n    above: 1\n", ALL))
                .hasMessageContaining("rule 'x': field 'metric': unknown metric 'eror_rate'");
        assertThatThrownBy(() -> parse("rules:\n  - id: x\n    type: spike\n    alpha: 3\n", ALL))
                .hasMessage("alerts.yaml:4: rule 'x': field 'alpha': 3 is out of range (0.010 to 1)");
        assertThatThrownBy(() -> parse("rules:\n  - id: x\n    type: spike\n    min_baseline: 2.5\n", ALL))
                .hasMessage("alerts.yaml:4: rule 'x': field 'min_baseline': '2.5' is not a whole number");
        assertThatThrownBy(() -> parse("rules:\n  - {id: x, type: spike}\n  - {id: x, type: spike}\n", ALL))
                .hasMessageContaining("alerts.yaml:3: rule 'x': the id is used twice");
        assertThatThrownBy(() -> parse("rules:\n  - {id: x, type: spike, severity: urgent}\n", ALL))
                .hasMessageContaining("rule 'x': field 'severity': 'urgent' is not one of");
        assertThatThrownBy(() -> parse("rulez: []\n", ALL)).hasMessageContaining("unknown top-level key 'rulez'");
    }

    @Test
    void aChannelThatIsNotConfiguredIsRefused() {
        assertThatThrownBy(() -> parse("rules:\n  - {id: x, type: spike, notify: [log, email]}\n", Set.of("log", "index")))
                .hasMessageContaining("rule 'x': field 'notify': channel 'email' is not configured: set caravan.alert.email.host");
        assertThatThrownBy(() -> parse("rules:\n  - {id: x, type: spike, notify: [pager]}\n", ALL))
                .hasMessageContaining("rule 'x': field 'notify': unknown channel 'pager'");
    }

    @Test
    void aMissingFileSaysWhatToDo() {
        assertThatThrownBy(() -> AlertRules.load(Path.of("no/such/alerts.yaml"), ALL))
                .hasMessageContaining("no/such/alerts.yaml").hasMessageContaining("caravan.alert.rules-file");
    }
}
