package caravan.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the external tools the deployment files are checked with (systemd-analyze, promtool, kubectl, node). */
final class Tools {
    /** The project root: tests run from it. */
    static final Path ROOT = Path.of("").toAbsolutePath();

    private Tools() {
    }

    /** Caravan's built-in settings (every known key), from the jar's application.properties. */
    static java.util.Properties defaults() throws IOException {
        java.util.Properties p = new java.util.Properties();
        try (var in = Tools.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        return p;
    }

    record Result(int exit, String output) {
    }

    /** Skips the test, with the reason in the report, when a tool is not installed (.ci/tools.sh installs them). */
    static void require(String tool) {
        Assumptions.assumeTrue(onPath(tool), tool + " is not installed: run .ci/tools.sh (Debian packages"
                + " systemd, prometheus; kubectl; node) to check the deployment files with it");
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static Result run(Path dir, String stdin, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of(command)).directory(dir.toFile()).redirectErrorStream(true);
        Process p = pb.start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
