package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
    @TempDir
    Path dir;

    private static byte[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = new CommandLine(new GenerateCommand(out)).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        assertThat(rc).isZero();
        return out.toByteArray();
    }

    @Test
    void sameSeedGivesTheSameBytes() {
        for (String format : new String[] {"apache", "nginx", "app", "json"}) {
            byte[] a = run("--format", format, "--seed", "5", "--count", "3000", "--burst-interval", "10", "--burst-length", "2");
            byte[] b = run("--format", format, "--seed", "5", "--count", "3000", "--burst-interval", "10", "--burst-length", "2");
            assertThat(a).isEqualTo(b);
            assertThat(new String(a, java.nio.charset.StandardCharsets.UTF_8).lines()).hasSize(3000);
            assertThat(run("--format", format, "--seed", "6", "--count", "3000")).isNotEqualTo(a);
        }
    }

    @Test
    void startTimeIsTheFirstTimestamp() {
        String first = new String(run("--format", "json", "--seed", "1", "--count", "1", "--start", "2025-05-05T10:00:00Z"),
                java.nio.charset.StandardCharsets.UTF_8);
        assertThat(first).startsWith("{\"@timestamp\":\"2025-05-05T10:00:00Z\"");
    }

    @Test
    void writesARotatingFile() throws Exception {
        Path f = dir.resolve("access.log");
        run("--seed", "2", "--count", "20000", "-o", f.toString(), "--rotate-bytes", "500000", "--rotate-mode", "copytruncate",
                "--rotate-keep", "10");
        long lines = 0;
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) {
                lines += Files.readAllLines(p).size();
            }
        }
        assertThat(lines).isEqualTo(20000);
        assertThat(dir.resolve("access.log.1")).exists();
    }

    @Test
    void rotationWithoutAFileIsRefused() {
        int rc = Caravan.commandLine().execute("generate", "--rotate-bytes", "10", "--count", "1");
        assertThat(rc).isEqualTo(2);
    }
}
