package caravan.alert;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.ops.CaravanRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alert configuration mistakes stop the start-up with the key (or file, rule and field) and the fix. */
class AlertStartupTest {
    @TempDir
    Path dir;

    private Properties settings() throws Exception {
        // Nothing listens there: the start-up must fail on the configuration before it connects anywhere.
        return caravan.ops.NoServers.settings(dir);
    }

    private static void fails(Properties p, String... parts) {
        assertThatThrownBy(() -> {
            try (CaravanRuntime rt = new CaravanRuntime(null, p)) {
                rt.start();
            }
        }).satisfies(e -> {
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append('\n');
            }
            for (String part : parts) {
                org.assertj.core.api.Assertions.assertThat(all.toString()).contains(part);
            }
        });
    }

    @Test
    void aMissingRulesFile() throws Exception {
        Properties p = settings();
        p.setProperty("caravan.alert.rules-file", dir.resolve("nope.yaml").toString());
        fails(p, "nope.yaml", "caravan.alert.rules-file");
    }

    @Test
    void aBrokenRule() throws Exception {
        Properties p = settings();
        Path rules = Files.writeString(dir.resolve("alerts.yaml"), "rules:\n  - id: x\n    type: per_ip\n    metric: requests\n    above: -3\n");
        p.setProperty("caravan.alert.rules-file", rules.toString());
        fails(p, "alerts.yaml:5: rule 'x': field 'above': -3 is out of range");
    }

    @Test
    void anEmailHostWithoutRecipients() throws Exception {
        Properties p = settings();
        p.setProperty("caravan.alert.email.host", "smtp.example.org");
        fails(p, "'caravan.alert.email.to' is empty");
    }

    @Test
    void aBadValue() throws Exception {
        Properties p = settings();
        p.setProperty("caravan.alert.window-seconds", "0");
        fails(p, "'caravan.alert.window-seconds'", "use at least 1");
    }
}
