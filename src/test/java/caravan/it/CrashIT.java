package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;


import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 6, case 4: the indexer runs as its own process ({@code caravan run} with only the index
 * half) and is killed with SIGKILL at random moments, again and again, during one run. At the end
 * Elasticsearch holds exactly the expected documents: none lost (every offset was committed only
 * after its document was indexed), none duplicated (a re-read record has the same id).
 *
 * <p>Default: 200,000 lines, 6 kills. {@code -Dcaravan.it.quick=true}: 50,000 lines, 5 kills.
 */
class CrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(CrashIT.class);

    @Test
    void killedIndexerLosesNothingAndDuplicatesNothing() throws Exception {
        int lines = ItSizes.get("crash.lines", 50_000, 200_000);
        int kills = ItSizes.get("crash.kills", 5, 6);
        Random random = new Random(Long.getLong("caravan.it.crash.seed", System.nanoTime()));
        try (Pipeline p = new Pipeline()) {
            p.createTopic(3);
            Lines gen = new Lines("crash-host", "crash-" + p.id, 6).corpusLines(lines);
            p.produce(p.topic, gen.records);
            Properties props = p.properties();
            props.setProperty("caravan.ship.enabled", "false");
            props.setProperty("caravan.routes.reload", "false");
            // A killed member leaves the group after this, not the default 45 s: each restart resumes sooner.
            props.setProperty("caravan.index.session-timeout-ms", "6000");
            // Slow enough that every kill lands mid-run, whatever the machine's speed.
            props.setProperty("caravan.index.throttle.per-second", "3000");
            Path config = p.writeConfig(props, "indexer.properties");

            List<String> killLog = new ArrayList<>();
            for (int k = 1; k <= kills; k++) {
                long before = p.committed();
                Process indexer = start(p, config, k);
                // Kill k falls at a random point of the k-th of (kills + 1) equal parts of the run, so the
                // kills spread over the whole run, and only after this process has made progress of its own;
                // then a random moment later: mid-batch, mid-bulk, between the bulk and the commit.
                long target = Math.max(before + 1, (long) (lines * (k - 1 + random.nextDouble()) / (kills + 1)));
                Awaitility.await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> p.committed() >= target || !indexer.isAlive());
                assertThat(indexer.isAlive()).as("indexer %d is running", k).isTrue();
                Thread.sleep(random.nextInt(700));
                indexer.destroyForcibly(); // SIGKILL: no shutdown hook, no last commit
                indexer.waitFor(30, TimeUnit.SECONDS);
                long committed = p.committed();
                long indexed = p.esCount();
                killLog.add("kill " + k + ": committed " + committed + ", indexed " + indexed);
                LOG.info("SIGKILL {} of {}: {} of {} offsets committed, {} documents indexed", k, kills, committed,
                        lines, indexed);
                assertThat(committed).as("kill %d came before the end", k).isLessThan(lines);
                // Never committed ahead of Elasticsearch (a committed record is an indexed document).
                assertThat(indexed).isGreaterThanOrEqualTo(committed);
            }
            Process last = start(p, config, kills + 1);
            try {
                p.awaitAllCommitted(lines, Duration.ofMinutes(5));
            } finally {
                last.destroy();
                last.waitFor(60, TimeUnit.SECONDS);
                last.destroyForcibly();
            }
            assertThat(p.esCount()).isEqualTo(lines);
            assertThat(p.esIds()).isEqualTo(gen.ids);
            assertThat(p.topicRecords(p.dlqTopic())).isZero();
            LOG.info("Crashes: {} lines, {} SIGKILLs ({}); final count {} = lines, ids identical: lost 0, duplicates 0",
                    lines, kills, String.join("; ", killLog), p.esCount());
        }
    }

    /** {@code java -cp <test classpath> caravan.ops.Caravan run --config <file>}, output to a log file. */
    private static Process start(Pipeline p, Path config, int n) throws Exception {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = p.dir.resolve("indexer-" + n + ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = List.of(java.toString(), "-Xmx512m", "-XX:+UseSerialGC", "-cp", classpath,
                "caravan.ops.Caravan", "run", "--config", config.toString());
        Files.createDirectories(p.routes);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(p.dir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("CARAVAN_"));
        LOG.info("Starting indexer {} (log {})", n, log);
        return pb.start();
    }

}
