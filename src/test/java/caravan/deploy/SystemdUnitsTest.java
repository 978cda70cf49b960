package caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** systemd/*.service: valid for systemd (systemd-analyze verify), hardened, and stopping after the drain. */
class SystemdUnitsTest {
    private static final List<String> UNITS = List.of("caravan.service", "caravan-ship.service", "caravan-index.service");

    @Test
    void systemdAnalyzeVerifyPasses() throws Exception {
        Tools.require("systemd-analyze");
        String[] cmd = new String[UNITS.size() + 2];
        cmd[0] = "systemd-analyze";
        cmd[1] = "verify";
        for (int i = 0; i < UNITS.size(); i++) {
            cmd[i + 2] = "./" + UNITS.get(i);
        }
        Tools.Result r = Tools.run(Tools.ROOT.resolve("systemd"), null, cmd);
        assertThat(r.output()).as("systemd-analyze verify output").isEmpty();
        assertThat(r.exit()).isZero();
    }

    @Test
    void everyUnitIsInTheDirectory() throws Exception {
        try (var s = Files.list(Tools.ROOT.resolve("systemd"))) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".service")).toList())
                    .containsExactlyInAnyOrderElementsOf(UNITS);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"caravan.service", "caravan-ship.service", "caravan-index.service"})
    void hardenedRestartedAndGivenTimeToDrain(String unit) throws Exception {
        Map<String, String> s = service(Tools.ROOT.resolve("systemd").resolve(unit));
        assertThat(s).containsEntry("NoNewPrivileges", "yes").containsEntry("ProtectSystem", "strict")
                .containsEntry("Restart", "on-failure").containsEntry("User", "caravan");
        assertThat(s.get("ReadWritePaths")).contains("/var/lib/caravan");
        assertThat(s.get("WorkingDirectory")).startsWith("/var/lib/caravan"); // checkpoints: data/checkpoints below it
        int drain = Integer.parseInt(Tools.defaults().getProperty("caravan.shutdown.timeout-seconds").trim());
        assertThat(Integer.parseInt(s.get("TimeoutStopSec"))).isGreaterThan(drain);
        String mode = unit.equals("caravan.service") ? " run " : unit.contains("ship") ? " ship " : " index ";
        assertThat(s.get("ExecStart")).contains("caravan.jar" + mode);
    }

    private static Map<String, String> service(Path unit) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        boolean inService = false;
        for (String line : Files.readAllLines(unit)) {
            String t = line.trim();
            if (t.startsWith("[")) {
                inService = t.equals("[Service]");
            } else if (inService && !t.startsWith("#") && t.contains("=")) {
                out.put(t.substring(0, t.indexOf('=')), t.substring(t.indexOf('=') + 1));
            }
        }
        return out;
    }
}
