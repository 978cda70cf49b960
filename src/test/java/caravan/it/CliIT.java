package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.FileTrees;
import caravan.parse.Corpus;
import caravan.search.ElasticsearchClients;
import caravan.search.SearchClient;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

/** The command line as an operator runs it: a child JVM per command, on the shared devstack. */
class CliIT {
    private static final Path CORPUS = Corpus.COMBINED_10K;

    /** java -cp target/classes + every dependency, as the shaded jar would have them. */
    private static List<String> java(String... args) throws Exception {
        String cp = "target/classes" + File.pathSeparator
                + Files.readString(Path.of("target/devstack.classpath")).trim();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp", cp, "caravan.ops.Caravan"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static Path config(Pipeline p) throws Exception {
        Properties props = p.properties();
        Path f = p.dir.resolve("caravan.properties");
        try (OutputStream out = Files.newOutputStream(f)) {
            props.store(out, null);
        }
        return f;
    }

    private static long count(Pipeline p) throws Exception {
        try (RestClient rc = ElasticsearchClients.create(p.stack.elasticsearchUrl(), "", "", "")) {
            SearchClient es = new SearchClient(rc);
            es.refresh(p.indices());
            return es.count(p.indices());
        }
    }

    private static String run(List<String> cmd, Path dir, Duration timeout) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
        Process proc = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(proc.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)).as("finished in time").isTrue();
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(proc.exitValue()).as(text).isZero();
        return text;
    }

    @Test
    void fileImportShowsABarInATerminalAndPlainLinesOtherwise() throws Exception {
        try (Pipeline p = new Pipeline()) {
            Path cfg = config(p);
            // In a pseudo-terminal (script(1) from util-linux): a redrawn bar, then the summary.
            List<String> inner = java("file", "--config", cfg.toString(), CORPUS.toString());
            String joined = String.join(" ", inner.stream().map(a -> "'" + a + "'").toList());
            String tty = run(List.of("script", "-qefc", joined, "/dev/null"), p.dir, Duration.ofMinutes(4));
            assertThat(tty).contains("\r[", "lines/s", "ETA", "10000/10000 lines", "done: 10000 lines indexed");
            assertThat(count(p)).isEqualTo(10_000);

            // Not a terminal: plain progress lines, no carriage returns (a slice of the corpus, for time).
            Path slice = Files.write(p.dir.resolve("slice.log"),
                    Files.readAllLines(CORPUS, StandardCharsets.UTF_8).subList(0, 1000), StandardCharsets.UTF_8);
            String plain = run(java("file", "--config", cfg.toString(), "--progress-interval", "100", slice.toString()),
                    p.dir, Duration.ofMinutes(3));
            assertThat(plain).doesNotContain("\r").contains("progress: shipped ").contains("done: 1000 lines indexed");
            assertThat(count(p)).isEqualTo(11_000);
        }
    }

    @Test
    void sigtermMidRunExitsZeroAndLosesNothing() throws Exception {
        List<String> lines = Files.readAllLines(CORPUS, StandardCharsets.UTF_8);
        try (Pipeline p = new Pipeline()) {
            Path log = p.dir.resolve("access.log");
            Files.write(log, lines.subList(0, 2000), StandardCharsets.UTF_8);
            p.tailRoute("sigterm", log, "combined", p.dir.resolve("checkpoints"));
            Path out = p.dir.resolve("run.txt");
            Process proc = new ProcessBuilder(java("run", "--config", config(p).toString()))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            try {
                Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200))
                        .until(() -> p.topicLinesOrZero() > 0);
                long started = System.nanoTime();
                proc.destroy(); // SIGTERM
                assertThat(proc.waitFor(60, TimeUnit.SECONDS)).as("stopped within the shutdown timeout").isTrue();
                System.out.printf("SIGTERM to exit: %d ms, %d records shipped before the stop%n",
                        (System.nanoTime() - started) / 1_000_000, p.topicLines());
                assertThat(proc.exitValue()).as(Files.readString(out)).isZero();
            } finally {
                proc.destroyForcibly();
            }
            long shippedBefore = p.topicLines();
            // Everything shipped before the stop was committed only once it was indexed: a restart
            // picks up from the checkpoints and the committed offsets.
            p.start(p.properties());
            p.awaitAllCommitted(2_000, Duration.ofMinutes(3));
            p.awaitCount(2_000, Duration.ofMinutes(1));
            assertThat(p.count()).isEqualTo(2_000);
            // The checkpoints were saved on the way out: nothing was shipped twice.
            assertThat(p.topicLines()).isEqualTo(2_000);
            assertThat(shippedBefore).isLessThanOrEqualTo(2_000);
        }
    }

    @Test
    void theShadedJarLogsEcsJsonAndStopsCleanlyOnSigterm() throws Exception {
        Path dir = Files.createTempDirectory("caravan-json-");
        Files.createDirectories(dir.resolve("routes"));
        Path cfg = Files.writeString(dir.resolve("c.properties"), String.join("\n",
                "caravan.routes.dir = " + dir.resolve("routes"),
                "caravan.http.port = " + Pipeline.freePort(),
                "caravan.kafka.brokers = " + DevStackRef.kafka(),
                "caravan.elasticsearch.urls = " + DevStackRef.es(),
                "caravan.index.enabled = false",
                "caravan.api.enabled = false", ""));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", "target/caravan.jar", "run", "--config", cfg.toString())
                .redirectError(dir.resolve("err.txt").toFile()).redirectOutput(dir.resolve("out.txt").toFile());
        pb.environment().put("CARAVAN_LOG_FORMAT", "json");
        Process proc = pb.start();
        try {
            Awaitility.await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(dir.resolve("err.txt")).contains("Caravan started"));
            proc.destroy();
            assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(proc.exitValue()).isZero();
        } finally {
            proc.destroyForcibly();
        }
        List<String> lines = Files.readAllLines(dir.resolve("err.txt"));
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(lines).isNotEmpty();
        for (String line : lines) {
            var json = mapper.readTree(line); // every line one JSON object
            assertThat(json.has("@timestamp") && json.has("log.level") && json.has("message")).as(line).isTrue();
        }
        assertThat(String.join("\n", lines)).contains("stop requested: draining in-flight batches");
        FileTrees.delete(dir); // kept when an assertion fails, for its err.txt
    }

    /** The shared devstack's addresses. */
    private static final class DevStackRef {
        static String kafka() {
            return caravan.devstack.DevStack.shared().kafkaBootstrap();
        }

        static String es() {
            return caravan.devstack.DevStack.shared().elasticsearchUrl();
        }
    }
}
