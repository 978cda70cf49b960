package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: {@code caravan ship} and {@code caravan index} are true halves. One shipper and two
 * indexers run on one host (the indexers load no source routes, so nobody fights over the
 * checkpoint lock); one indexer is SIGKILLed mid-run; the count and the id set come out exact.
 */
class HalvesIT {

    @Test
    void oneShipperAndTwoIndexersShareAHostAndAKilledIndexerLosesNothing() throws Exception {
        int lines = ItSizes.get("halves.lines", 6_000, 20_000);
        try (Pipeline p = new Pipeline()) {
            p.createTopic(3);
            Path log = p.dir.resolve("access.log");
            List<String> corpus = Lines.corpus();
            List<String> content = new ArrayList<>(lines);
            for (int i = 0; i < lines; i++) {
                content.add(corpus.get(i % corpus.size()));
            }
            Files.write(log, content, StandardCharsets.UTF_8);
            p.tailRoute("it-halves", log, "combined", p.dir.resolve("checkpoints"));
            Properties base = p.properties();
            base.setProperty("caravan.routes.reload", "false");
            base.setProperty("caravan.index.session-timeout-ms", "6000");
            // Slow enough that the kill lands mid-run.
            base.setProperty("caravan.index.throttle.per-second", "1000");
            List<Process> all = new ArrayList<>();
            try {
                Process shipper = start(p, base, "ship", 1, all);
                Process indexer1 = start(p, base, "index", 2, all);
                Process indexer2 = start(p, base, "index", 3, all);
                // Three JVMs start at once, each indexer building its user-agent matchers: minutes on a loaded 2-core CI host.
                Awaitility.await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(200))
                        .until(() -> p.committed() >= lines / 4 || !indexer1.isAlive());
                assertThat(shipper.isAlive()).as("the shipper runs beside two indexers").isTrue();
                assertThat(indexer1.isAlive()).isTrue();
                assertThat(indexer2.isAlive()).isTrue();
                indexer1.destroyForcibly(); // SIGKILL mid-run
                indexer1.waitFor(30, TimeUnit.SECONDS);
                p.awaitAllCommitted(lines, Duration.ofMinutes(4));
                assertThat(p.esCount()).isEqualTo(lines);
                assertThat(p.esIds()).hasSize(lines);
                assertThat(p.topicLines()).isEqualTo(lines); // shipped once: nothing read twice by an indexer
                assertThat(p.topicRecords(p.dlqTopic())).isZero();
                for (int n : new int[] {2, 3}) {
                    assertThat(Files.readString(p.dir.resolve("caravan-" + n + ".log")))
                            .contains("source routes in").doesNotContain("is in use");
                }
            } finally {
                for (Process x : all) {
                    x.destroy();
                    x.waitFor(60, TimeUnit.SECONDS);
                    x.destroyForcibly();
                }
            }
        }
    }

    /** {@code java -cp <test classpath> caravan.ops.Caravan <half> --config <file>}, each with its own port. */
    private static Process start(Pipeline p, Properties base, String half, int n, List<Process> all) throws Exception {
        Properties props = new Properties();
        props.putAll(base);
        props.setProperty("caravan.http.port", Integer.toString(Pipeline.freePort()));
        Path config = p.writeConfig(props, half + "-" + n + ".properties");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder pb = new ProcessBuilder(java.toString(), "-Xmx384m", "-XX:+UseSerialGC", "-cp", classpath,
                "caravan.ops.Caravan", half, "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(p.dir.resolve("caravan-" + n + ".log").toFile())
                .directory(p.dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CARAVAN_"));
        Process proc = pb.start();
        all.add(proc);
        return proc;
    }
}
