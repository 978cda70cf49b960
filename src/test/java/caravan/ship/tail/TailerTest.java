package caravan.ship.tail;

import static caravan.ship.tail.TailFiles.append;
import static caravan.ship.tail.TailFiles.awaitExactly;
import static caravan.ship.tail.TailFiles.caughtUp;
import static caravan.ship.tail.TailFiles.concat;
import static caravan.ship.tail.TailFiles.lines;
import static caravan.ship.tail.TailFiles.sleep;
import static caravan.ship.tail.TailFiles.truncate;
import static caravan.ship.tail.TailFiles.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follower's logic on real files with a recording sink: every case compares exact multisets. */
class TailerTest {
    @TempDir
    Path dir;

    private Path cp() {
        return dir.resolve("cp");
    }

    @Test
    void followsAFileAndWaitsForTheNewlineOfTheLastLine() throws Exception {
        Path log = dir.resolve("app.log");
        append(log, "one\ntwo\nthr");
        try (Harness h = new Harness()) {
            Harness.Builder b = Harness.options(log, cp());
            b.partialLineTimeout = 0; // wait for the newline forever
            h.start(b.build());
            awaitExactly(h, List.of("one", "two"));
            sleep(500);
            append(log, "ee\n");
            awaitExactly(h, List.of("one", "two", "three"));
            assertThat(h.acked).extracting(Harness.Got::offset).containsExactlyInAnyOrder(0L, 4L, 8L);
        }
    }

    @Test
    void aLastLineWithoutNewlineIsShippedAfterTheTimeout() throws Exception {
        Path log = dir.resolve("app.log");
        append(log, "one\nno newline");
        try (Harness h = new Harness()) {
            h.start(Harness.options(log, cp()).build());
            awaitExactly(h, List.of("one", "no newline"));
            append(log, " continued\n");
            awaitExactly(h, List.of("one", "no newline", " continued"));
        }
    }

    @Test
    void restartResumesAtTheCheckpointWithoutRepeats() throws Exception {
        Path log = dir.resolve("app.log");
        append(log, lines("a", 0, 1000));
        List<String> expected = new ArrayList<>(lines("a", 0, 1000));
        try (Harness h = new Harness()) {
            h.start(Harness.options(log, cp()).build());
            awaitExactly(h, expected);
            h.stop();
            expected.addAll(append(log, lines("a", 1000, 1500)));
            h.start(Harness.options(log, cp()).build());
            awaitExactly(h, expected);
        }
    }

    @Test
    void renameRotationWhileWritingAtFullSpeed() throws Exception {
        try (Harness h = new Harness(); RotatingWriter w = new RotatingWriter(dir.resolve("app.log"), "r", 60)) {
            // only *.log: renamed files are drained through their open handles. A generation must be
            // seen under its name before it is renamed away: a file never seen cannot be read (README,
            // "Not promised"). A fixed 250 ms was once shorter than a scan in CI: a generation of 2,050
            // lines, renamed 10 batches after it was created, was never seen.
            Harness.Builder b = Harness.options(dir.resolve("*.log"), cp());
            b.maxInflight = 300; // and the tailer lags behind the writer
            h.start(b.build());
            w.start(200, Integer.MAX_VALUE);
            for (int r = 0; r < 5; r++) {
                sleep(250);
                int generations = r + 1;
                await().atMost(WAIT).until(() -> h.fileIds.size() >= generations);
                w.rotateRename();
            }
            sleep(100);
            w.finish();
            awaitExactly(h, w.written());
        }
    }

    @Test
    void filesRotatedBeforeAScanAreFoundUnderTheirRotatedNames() throws Exception {
        // five generations within milliseconds: no poller sees app.log each time, but app.log* sees app.log.N
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>();
        try (Harness h = new Harness()) {
            h.start(Harness.options(dir.resolve("app.log*"), cp()).build());
            for (int r = 0; r < 5; r++) {
                append(log, lines("q" + r, 0, 2000));
                written.addAll(lines("q" + r, 0, 2000));
                Files.move(log, dir.resolve("app.log." + r));
            }
            awaitExactly(h, written);
        }
    }

    @Test
    void truncationInPlaceRestartsAtZero() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(append(log, lines("t", 0, 100)));
        try (Harness h = caughtUp(log, cp(), written)) {
            truncate(log);
            // rewritten past the old size before the tailer looks: size alone would not tell
            written.addAll(append(log, lines("T", 0, 300)));
            awaitExactly(h, written);
        }
    }

    @Test
    void deleteAndRecreate() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(append(log, lines("x", 0, 100)));
        try (Harness h = caughtUp(log, cp(), written)) {
            Files.delete(log);
            written.addAll(append(log, lines("y", 0, 50)));
            awaitExactly(h, written);
            Files.delete(log);
            sleep(300);
            written.addAll(append(log, lines("z", 0, 50)));
            awaitExactly(h, written);
        }
    }

    @Test
    void globPicksUpNewFilesAndHonoursTheExclusion() throws Exception {
        Files.createDirectories(dir.resolve("logs/a/b"));
        List<String> written = new ArrayList<>();
        try (Harness h = new Harness()) {
            Harness.Builder b = Harness.options(dir.resolve("logs/**/*.log"), cp());
            b.exclude = "*debug*";
            h.start(b.build());
            for (int i = 0; i < 10; i++) {
                Path f = dir.resolve(i % 2 == 0 ? "logs/f" + i + ".log" : "logs/a/b/f" + i + ".log");
                append(f, lines("g" + i, 0, 20));
                written.addAll(lines("g" + i, 0, 20));
                append(dir.resolve("logs/debug" + i + ".log"), "excluded\n");
                append(dir.resolve("logs/f" + i + ".txt"), "not matched\n");
                sleep(30);
            }
            awaitExactly(h, written);
            assertThat(h.acked.stream().map(Harness.Got::fileId).distinct()).hasSize(10);
        }
    }

    @Test
    void startPositionEndSkipsWhatIsThereOnTheFirstStartOnly() throws Exception {
        Path log = dir.resolve("app.log");
        append(log, lines("before", 0, 50));
        append(dir.resolve("other.log"), "old\n");
        try (Harness h = new Harness()) {
            Harness.Builder b = Harness.options(dir.resolve("*.log"), cp());
            b.startAtEnd = true;
            h.start(b.build());
            sleep(300);
            append(log, lines("after", 0, 10));
            append(dir.resolve("new.log"), "new file: from its beginning\n");
            awaitExactly(h, concat(lines("after", 0, 10), List.of("new file: from its beginning")));
            h.stop();
            append(log, lines("while-down", 0, 5));
            append(dir.resolve("born-while-down.log"), "appeared while stopped\n");
            h.start(b.build());
            awaitExactly(h, concat(lines("after", 0, 10), List.of("new file: from its beginning"),
                    lines("while-down", 0, 5), List.of("appeared while stopped")));
        }
    }

    @Test
    void failedDeliveriesAreReadAgainAndOnlyTheyAreRepeated() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = lines("f", 0, 3000);
        append(log, written);
        AtomicInteger failures = new AtomicInteger();
        try (Harness h = new Harness()) {
            // every 500th line fails once
            h.fail = e -> e.text().matches("f-\\d*[05]00 .*") && failures.incrementAndGet() <= 6;
            h.start(Harness.options(log, cp()).build());
            awaitExactly(h, written);
            assertThat(failures.get()).isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void backpressureKeepsTheWindowBoundedAndDropsNothing() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = lines("b", 0, 20_000);
        append(log, written);
        try (Harness h = new Harness()) {
            Harness.Builder b = Harness.options(log, cp());
            b.maxInflight = 500;
            h.hold.set(true); // Kafka is down
            h.start(b.build());
            await().atMost(WAIT).until(() -> h.held.size() >= 500);
            sleep(500);
            assertThat(h.held.size()).isLessThanOrEqualTo(501);
            assertThat(h.inflight()).isLessThanOrEqualTo(501);
            h.release();
            // acknowledge as they come from now on
            awaitExactly(h, written);
        }
    }

    @Test
    void oversizedLineIsCutFlaggedAndTheRestSkipped() throws Exception {
        Path log = dir.resolve("app.log");
        String big = "B".repeat(300_000);
        append(log, "before\n" + big + "\nafter\n");
        try (Harness h = new Harness()) {
            Harness.Builder b = Harness.options(log, cp());
            b.maxLineBytes = 10_000;
            b.readChunk = 4096;
            h.start(b.build());
            awaitExactly(h, List.of("before", "B".repeat(10_000), "after"));
            assertThat(h.acked).filteredOn(Harness.Got::truncated).extracting(Harness.Got::offset).containsExactly(7L);
        }
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() throws Exception {
        Path log = dir.resolve("app.log");
        Files.write(log, new byte[] {'o', 'k', '\n', (byte) 0xFF, (byte) 0xFE, 'x', '\n', (byte) 0xE2, (byte) 0x82, '\n', 'e', '\n'});
        try (Harness h = new Harness()) {
            h.start(Harness.options(log, cp()).build());
            awaitExactly(h, List.of("ok", "\uFFFD\uFFFDx", "\uFFFD", "e"));
        }
    }

    @Test
    void multilineStackTracesAreOneEvent() throws Exception {
        Path log = dir.resolve("app.log");
        String trace = "2026-01-01 ERROR failed\njava.lang.IllegalStateException: boom\n\tat a.B.c(B.java:1)\n"
                + "Caused by: java.io.IOException: disk\n\tat d.E.f(E.java:2)\n\t... 5 more\n";
        append(log, "2026-01-01 INFO start\n" + trace + "2026-01-01 INFO end\n");
        try (Harness h = new Harness()) {
            Harness.Builder b = Harness.options(log, cp());
            b.multiline = "^\\d{4}-\\d{2}-\\d{2} ";
            b.mode = MultilineJoiner.Mode.START;
            h.start(b.build());
            awaitExactly(h, List.of("2026-01-01 INFO start", trace.substring(0, trace.length() - 1), "2026-01-01 INFO end"));
            assertThat(h.acked).extracting(Harness.Got::offset).contains(22L);
        }
    }

    @Test
    void fiveHundredFilesWithFiftyHandles() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("many"));
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            append(logs.resolve("f" + i + ".log"), lines("m" + i, 0, 10));
            written.addAll(lines("m" + i, 0, 10));
        }
        try (Harness h = new Harness(); FdSampler fds = new FdSampler(logs)) {
            Harness.Builder b = Harness.options(logs.resolve("*.log"), cp());
            b.maxOpenFiles = 50;
            h.start(b.build());
            awaitExactly(h, written);
            for (int i = 0; i < 500; i += 7) {
                append(logs.resolve("f" + i + ".log"), lines("n" + i, 0, 3));
                written.addAll(lines("n" + i, 0, 3));
            }
            awaitExactly(h, written);
            assertThat(fds.samples()).isGreaterThan(10);
            assertThat(fds.peak()).as(fds.peakFiles).isLessThanOrEqualTo(50);
        }
    }

    /** Samples, until closed, how many regular files under a directory this process holds open. */
    static final class FdSampler implements AutoCloseable {
        private final AtomicInteger peak = new AtomicInteger();
        private final AtomicInteger samples = new AtomicInteger();
        private final Thread thread;
        private volatile boolean running = true;
        volatile String peakFiles;

        FdSampler(Path dir) {
            thread = new Thread(() -> {
                Map<Path, Path> last = Map.of();
                while (running) {
                    try {
                        Map<Path, Path> now = openFiles(dir);
                        // two listings alike: no fd was closed and reused while listed, which would count a file twice
                        if (now.equals(last)) {
                            if (now.size() > peak.get()) {
                                peakFiles = "peak listing: " + new java.util.TreeMap<>(now);
                            }
                            peak.accumulateAndGet(now.size(), Math::max);
                            samples.incrementAndGet();
                        }
                        last = now;
                    } catch (IOException e) {
                        last = Map.of(); // the fd table changed while listed
                    }
                }
            }, "fd-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        int peak() {
            return peak.get();
        }

        int samples() {
            return samples.get();
        }

        @Override
        public void close() {
            running = false;
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Regular files (not directories being listed) under {@code dir} that this process holds open for
     * reading only, by fd: the tailer's, not the test's own appends.
     */
    static Map<Path, Path> openFiles(Path dir) throws IOException {
        Map<Path, Path> out = new HashMap<>();
        try (var s = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) s::iterator) {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.startsWith(dir) && Files.isRegularFile(target) && readOnly(fd)) {
                        out.put(fd, target);
                    }
                } catch (IOException e) {
                    // closed while listed
                }
            }
        }
        return out;
    }

    /** Opened for reading only: the access mode in the fd's octal flags ({@code /proc/self/fdinfo}) is O_RDONLY. */
    private static boolean readOnly(Path fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo").resolve(fd.getFileName()))) {
            if (line.startsWith("flags:")) {
                return (Integer.parseInt(line.substring(6).strip(), 8) & 3) == 0;
            }
        }
        return true;
    }
}
