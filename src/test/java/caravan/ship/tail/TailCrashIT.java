package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.Envelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 at random moments loses nothing, and repeats only lines that were not checkpointed.
 *
 * <p>A child JVM runs tail: into the ship route into Kafka while a writer appends 200,000 lines
 * with rename and copytruncate rotations; the test kills the child with SIGKILL at random moments
 * (at least five times) and starts it again. Every line must be on the topic. A line may be there
 * more than once only if, at some kill, it had been written and lay at or past its file's
 * checkpoint as it was on disk at that kill.
 */
@Tag("crash") // about a minute on 2 cores; -DexcludedGroups=crash leaves it out, -Dcaravan.crash.lines/kills scale it
class TailCrashIT {
    private static final Logger LOG = LoggerFactory.getLogger(TailCrashIT.class);
    private static final int LINES = Integer.getInteger("caravan.crash.lines", 200_000);
    private static final int KILLS = Integer.getInteger("caravan.crash.kills", 6);

    @TempDir
    Path dir;

    /** What was on disk when a child died: the checkpoints, and how many lines had been written. */
    record Kill(Map<String, Long> checkpoint, int writtenBefore) {
    }

    /** One exchange per line, and batches of lines (maxBatchLines): the same promise. */
    @ParameterizedTest(name = "tail options [{0}]")
    @ValueSource(strings = {"", "&maxBatchLines=500"})
    void killNineAtRandomMomentsLosesNothingAndRepeatsOnlyWhatWasNotCheckpointed(String options) throws Exception {
        Random random = new Random(Long.getLong("caravan.crash.seed", System.nanoTime()));
        Path checkpoints = dir.resolve("checkpoints");
        String uri = "tail:" + dir.resolve("app.log*") + "?checkpointDir=" + checkpoints + "&checkpointName=crash"
                + "&pollDelay=20&scanInterval=100&checkpointInterval=500&drainTimeout=1000" + options;
        CheckpointStore store = new CheckpointStore(checkpoints.resolve("crash.json"));
        List<Kill> kills = new ArrayList<>();
        long started = System.nanoTime();
        try (ShipRig rig = new ShipRig(); RotatingWriter w = new RotatingWriter(dir.resolve("app.log"), "crash", 100)) {
            w.start(200, LINES, 10_000);
            Thread rotator = new Thread(() -> {
                try {
                    for (int r = 0; !w.done(); r++) {
                        Thread.sleep(1500);
                        if (r % 2 == 0) {
                            w.rotateRename();
                        } else {
                            w.rotateCopyTruncate();
                        }
                    }
                } catch (InterruptedException | IOException e) {
                    throw new IllegalStateException(e);
                }
            }, "rotator");
            rotator.start();
            int run = 0;
            while (kills.size() < KILLS) {
                Process child = startChild(rig, uri, run++);
                Thread.sleep(1000 + random.nextInt(3000));
                int writtenBefore = w.count();
                child.destroyForcibly(); // SIGKILL on Linux: no shutdown hook, no last checkpoint
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
                kills.add(new Kill(snapshot(store), writtenBefore));
                LOG.info("kill {} after {} lines written", kills.size(), writtenBefore);
                if (random.nextBoolean()) {
                    Thread.sleep(random.nextInt(1500)); // down for a while: rotations may happen meanwhile
                }
            }
            rotator.join();
            w.finish();
            Process last = startChild(rig, uri, run);
            List<Envelope> got = rig.awaitDistinct(LINES, Duration.ofMinutes(3));
            last.destroy();
            last.waitFor(30, TimeUnit.SECONDS);
            keepChildLogs();

            List<String> written = w.written();
            assertThat(written).hasSize(LINES);
            Map<String, List<Envelope>> byLine = new HashMap<>();
            got.forEach(e -> byLine.computeIfAbsent(e.message(), k -> new ArrayList<>()).add(e));
            List<String> missing = written.stream().filter(l -> !byLine.containsKey(l)).toList();
            if (!missing.isEmpty()) {
                keepEvidence(store);
            }
            assertThat(missing).as("lost lines (%d; the files and checkpoints are in target/tail-crash-evidence)",
                    missing.size()).isEmpty();
            assertThat(byLine.keySet()).as("lines nobody wrote").hasSize(LINES);

            Map<String, Integer> lineNo = new HashMap<>();
            for (int i = 0; i < written.size(); i++) {
                lineNo.put(written.get(i), i);
            }
            int repeats = 0;
            int maxCopies = 1;
            List<String> unexplained = new ArrayList<>();
            for (Map.Entry<String, List<Envelope>> e : byLine.entrySet()) {
                List<Envelope> copies = e.getValue();
                if (copies.size() == 1) {
                    continue;
                }
                repeats += copies.size() - 1;
                maxCopies = Math.max(maxCopies, copies.size());
                Envelope first = copies.get(0);
                assertThat(copies).allSatisfy(c -> {
                    assertThat(c.fileId()).isEqualTo(first.fileId());
                    assertThat(c.offset()).isEqualTo(first.offset());
                });
                int n = lineNo.get(e.getKey());
                long chances = kills.stream().filter(k -> n < k.writtenBefore()
                        && first.offset() >= k.checkpoint().getOrDefault(first.fileId(), 0L)).count();
                if (copies.size() - 1 > chances) {
                    unexplained.add(e.getKey() + " x" + copies.size() + " (" + chances + " kills left it unacknowledged)");
                }
            }
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
            String report = String.format("tail crash test [" + options + "]: %d lines, %d rotations, %d SIGKILLs, %d lost, %d repeated"
                            + " (%.3f%%; at most %d copies of a line), %d repeats not explained by a kill, %d s",
                    LINES, w.rotations(), kills.size(), missing.size(), repeats, 100.0 * repeats / LINES, maxCopies,
                    unexplained.size(), seconds);
            LOG.info(report);
            Files.writeString(Path.of("target/tail-crash-report.txt"), report + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
            keepChildLogs();
            assertThat(unexplained).as("repeats of lines that were checkpointed before every kill").isEmpty();
        }
    }

    /** The log files and the last checkpoint, for the post-mortem of a failure. */
    private void keepEvidence(CheckpointStore store) throws IOException {
        Path keep = Files.createDirectories(Path.of("target/tail-crash-evidence"));
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                Files.copy(p, keep.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.copy(store.file(), keep.resolve("checkpoint.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The children's logs outlive the temporary directory, for the post-mortem. */
    private void keepChildLogs() throws IOException {
        Path keep = Files.createDirectories(Path.of("target/tail-crash-children"));
        try (var s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("child-")).toList()) {
                Files.copy(p, keep.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    private static Map<String, Long> snapshot(CheckpointStore store) throws IOException {
        Map<String, Long> m = new HashMap<>();
        store.load().forEach(e -> m.put(e.id(), e.offset()));
        return m;
    }

    private Process startChild(ShipRig rig, String uri, int run) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("child-" + run + ".log");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                ShipChild.class.getName(), rig.stack.kafkaBootstrap(), rig.topic, uri)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!Files.readString(log).contains("SHIP-CHILD-READY")) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("ship child did not start:\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return p;
    }
}
