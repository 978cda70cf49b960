package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code caravan demo} as the README's quick start shows it: its own servers, the sample shipped and
 * indexed, a summary, and, with stdout and stderr on one terminal, the verdict as the very last line.
 * Without {@code --data} its servers and logs go in a temporary directory, which it removes.
 */
class DemoIT {

    @Test
    void demoEndsWithTheVerdictAfterEverythingHasStoppedAndLeavesNoData(@TempDir Path dir) throws Exception {
        // as ./caravan runs it: the classes, the devstack jar (the servers) and their dependencies
        Path devstack;
        try (var jars = Files.newDirectoryStream(Path.of("target"), "caravan-*-devstack.jar")) {
            devstack = jars.iterator().next();
        }
        String cp = String.join(File.pathSeparator, "target/classes", devstack.toString(),
                Files.readString(Path.of("target/devstack.classpath")).trim());
        Path out = dir.resolve("demo.txt");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Process demo = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Djava.io.tmpdir=" + tmp, "-cp", cp, "caravan.ops.Caravan", "demo", "--lines", "400"))
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(demo.waitFor(5, TimeUnit.MINUTES)).as("the demo finished").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(demo.exitValue()).as(text).isZero();

        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        assertThat(lines.get(lines.size() - 1)).as(text).isEqualTo("indexed 400 of 400 lines");
        assertThat(text).contains("Servers ready in", "Top 5 paths:", "Total time including server start:", "(data in " + tmp);
        try (var left = Files.list(tmp)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("caravan-demo-")).toList())
                    .as("the demo's temporary directory is gone").isEmpty();
        }
    }
}
