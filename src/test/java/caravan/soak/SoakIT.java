package caravan.soak;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.FileTrees;
import caravan.devstack.DevStack;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, the reduced soak in the default suite: 100,000 lines into four rotating files, one
 * shipper and three indexers as separate processes, three SIGKILLs of the shipper, three of random
 * indexers, one SIGTERM (a rebalance) and a 30 s Elasticsearch stop, all at once. Not one line may
 * be missing, doubled, at a wrong offset or dead-lettered.
 *
 * <p>{@code -Dcaravan.soak.seed=N} replays a schedule; {@code -Dcaravan.soak.full=true} runs the
 * full size (a million lines, ten kills of each kind, a Kafka stop and a minute of 429s), as
 * {@code bench/soak.sh} does.
 */
class SoakIT {

    @Test
    void everythingFailingAtOnceLosesAndDoublesNoLine() throws Exception {
        SoakConfig c = Boolean.getBoolean("caravan.soak.full") ? SoakConfig.full() : SoakConfig.reduced();
        Integer lines = Integer.getInteger("caravan.soak.lines");
        if (lines != null) {
            c = c.withLines(lines, c.linesPerSecond());
        }
        long seed = Long.getLong("caravan.soak.seed", System.nanoTime());
        Path dir = Files.createTempDirectory("caravan-soak-");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Soak.Result r = Soak.run(c, seed, DevStack.shared(), dir, classpath);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/soak-report.txt"), r.report() + "\n", java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        assertThat(r.ok()).as("soak verdict (seed %d; replay with -Dcaravan.soak.seed=%d; files in %s):%n%s", seed, seed,
                dir, r.report()).isTrue();
        assertThat(r.verdict().documents).isEqualTo(c.lines());
        FileTrees.delete(dir); // kept when the verdict fails: the report names it
    }
}
