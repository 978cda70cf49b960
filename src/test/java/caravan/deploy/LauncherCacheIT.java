package caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.devstack.JavaFinder;
import caravan.it.Pipeline;
import caravan.parse.Corpus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./caravan's class archive: the first run of a role writes it as the JVM exits, the next maps it (BENCHMARKS.md
 * "JDK 25's AOT cache, session 35"). The second run adds the flag that makes a cache or archive the JVM cannot map an
 * error instead of a silent fall-back, so a launcher that writes one the JVM then refuses fails here. An integration
 * test: the launcher runs the packaged jar (JDK 25's case on the devstack).
 */
class LauncherCacheIT {

    /**
     * JDK 25 and later: the AOT cache (classes loaded and linked, and the run's method profiles), written as a real
     * {@code caravan run} on the devstack stops on SIGTERM, and mapped by the next run, which indexes on from there.
     * Neither run prints a JVM warning: the cache's messages, JDK 24's about Unsafe and native access are left out.
     */
    @Test
    void onJdk25ARunWritesTheAotCacheAsItStopsAndTheNextRunMapsIt(@TempDir Path archives) throws Exception {
        Assumptions.assumeTrue(JavaFinder.has(25), "no JDK 25 or later under /usr/lib/jvm or JAVA_HOME");
        String java = JavaFinder.find(25).toString();
        List<String> lines = Files.readAllLines(Corpus.COMBINED_10K, StandardCharsets.UTF_8);
        try (Pipeline p = new Pipeline()) {
            Path log = Files.write(p.dir.resolve("access.log"), lines.subList(0, 500), StandardCharsets.UTF_8);
            p.tailRoute("aot", log, "combined", p.dir.resolve("checkpoints"));
            Path config = p.writeConfig(p.properties(), "caravan.properties");

            String first = runUntilIndexed(p, java, archives, "", config, 500);
            assertThat(written(archives, ".aot")).as("the cache, named for the role and the JDK").hasSize(1)
                    .allSatisfy(c -> assertThat(c.getFileName().toString()).matches("caravan-run-jdk\\d+\\.aot"))
                    .allSatisfy(c -> assertThat(Files.size(c)).isGreaterThan(16 << 20));
            assertThat(jvmWarnings(first)).as(first).isEmpty();

            Files.write(log, lines.subList(500, 1000), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            String second = runUntilIndexed(p, java, archives, "-XX:AOTMode=on", config, 1000); // on: no cache, no start
            assertThat(jvmWarnings(second)).as(second).isEmpty();
            assertThat(p.esIds()).as("each line once, the second run on from the first's checkpoint").hasSize(1000);
        }
    }

    /** JDK 17-24: AppCDS's dynamic archive. */
    @Test
    void beforeJdk25TheFirstRunWritesTheAppCdsArchiveAndTheNextMapsIt(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() < 25, "this JVM is 25 or later: the test above covers it");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Tools.Result first = launch(dir, java, "");
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("Usage:").doesNotContainIgnoringCase("warning");
        assertThat(written(dir, ".jsa")).extracting(p -> p.getFileName().toString()).containsExactly("caravan-index.jsa");

        Tools.Result second = launch(dir, java, "-Xshare:on"); // on: an archive it cannot map stops the JVM
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).contains("Usage:").doesNotContainIgnoringCase("warning");
    }

    /** {@code ./caravan run} on that JVM until the pipeline holds {@code docs} documents, then SIGTERM; its output. */
    private static String runUntilIndexed(Pipeline p, String java, Path archives, String extra, Path config, long docs)
            throws Exception {
        Path out = archives.resolve("run-" + System.nanoTime() + ".txt");
        ProcessBuilder pb = new ProcessBuilder("./caravan", "run", "--config", config.toString())
                .directory(Tools.ROOT.toFile()).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(launcherEnv(java, archives, extra));
        Process run = pb.start(); // the launcher execs the JVM: SIGTERM reaches Caravan
        try {
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> !run.isAlive() || p.esCount() >= docs);
            assertThat(run.isAlive()).as(Files.readString(out)).isTrue();
            run.destroy();
            assertThat(run.waitFor(2, TimeUnit.MINUTES)).as("stopped, the cache written").isTrue();
            assertThat(run.exitValue()).as(Files.readString(out)).isZero();
        } finally {
            run.destroyForcibly();
        }
        return Files.readString(out);
    }

    /** The JVM's own warnings: JDK launcher lines ({@code WARNING: ...}) and unified logging's {@code [warning]}. */
    private static List<String> jvmWarnings(String output) {
        return output.lines().filter(l -> l.startsWith("WARNING:") || l.contains("][warning]")).toList();
    }

    /** {@code ./caravan index --help} on that JVM, at the launcher's own flags plus {@code extra}, archives in dir. */
    private static Tools.Result launch(Path dir, String java, String extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("env"));
        launcherEnv(java, dir, extra).forEach((k, v) -> command.add(k + "=" + v));
        command.addAll(List.of("./caravan", "index", "--help"));
        return Tools.run(Tools.ROOT, null, command.toArray(String[]::new));
    }

    /** The launcher's settings: that JVM, archives in dir, and its own index flags plus {@code extra}. */
    private static Map<String, String> launcherEnv(String java, Path dir, String extra) throws Exception {
        return Map.of("CARAVAN_JAVA", java, "CARAVAN_CDS_DIR", dir.toString(),
                "JAVA_OPTS", String.join(" ", LauncherFlagsTest.flags("JAVA_HEAP_INDEX")) + " " + extra);
    }

    private static List<Path> written(Path dir, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }
}
