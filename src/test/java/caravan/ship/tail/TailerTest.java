package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follower's logic on real files with a recording sink: every case compares exact multisets. */
class TailerTest {
    // Generous: a loaded 2-core CI machine is much slower than a quiet one, and only failures wait it out.
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private Path cp() {
        return dir.resolve("cp");
    }

    private static void append(Path f, String s) throws IOException {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> lines(String prefix, int from, int to) {
        List<String> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add(prefix + "-" + i + " lorem ipsum dolor sit amet");
        }
        return l;
    }

    private static void append(Path f, List<String> lines) throws IOException {
        append(f, String.join("\n", lines) + "\n");
    }

    static void awaitExactly(Harness h, List<String> expected) {
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> h.acked.size() >= expected.size());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            java.util.Set<String> got = new java.util.HashSet<>(h.texts());
            List<String> missing = expected.stream().filter(l -> !got.contains(l)).toList();
            throw new AssertionError(h.acked.size() + " of " + expected.size() + " arrived; missing " + missing.size()
                    + ", first " + missing.subList(0, Math.min(5, missing.size())), e);
        }
        sleep(300); // anything extra (a repeat) would show up now
        java.util.Map<String, Integer> count = new java.util.HashMap<>();
        h.texts().forEach(t -> count.merge(t, 1, Integer::sum));
        List<String> missing = new ArrayList<>();
        for (String l : expected) {
            if (count.merge(l, -1, Integer::sum) < 0) {
                missing.add(l);
            }
        }
        List<String> extra = count.entrySet().stream().filter(e -> e.getValue() > 0).map(java.util.Map.Entry::getKey).sorted().toList();
        assertThat(missing).as("missing (then repeated: %s)", extra.subList(0, Math.min(5, extra.size()))).isEmpty();
        assertThat(extra).as("repeated").isEmpty();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
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
            append(log, lines("a", 1000, 1500));
            expected.addAll(lines("a", 1000, 1500));
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
    void copytruncateRotationWhileWritingAtFullSpeed() throws Exception {
        try (Harness h = new Harness(); RotatingWriter w = new RotatingWriter(dir.resolve("app.log"), "k", 60)) {
            Harness.Builder b = Harness.options(dir.resolve("app.log*"), cp());
            b.maxInflight = 300;
            h.start(b.build());
            w.start(200, Integer.MAX_VALUE);
            for (int r = 0; r < 5; r++) {
                sleep(250);
                w.rotateCopyTruncate();
            }
            sleep(100);
            w.finish();
            awaitExactly(h, w.written());
        }
    }

    @Test
    void copytruncateWhileTheTailerLagsLosesNothing() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>();
        try (Harness h = new Harness()) {
            // the glob includes the copies: that is where the unread rest of a truncated file is
            h.start(Harness.options(dir.resolve("app.log*"), cp()).build());
            append(log, lines("c", 0, 2000));
            written.addAll(lines("c", 0, 2000));
            await().atMost(WAIT).until(() -> h.acked.size() >= 2000);
            // Kafka is slow: lines pile up unacknowledged, then the file is copied and truncated
            h.hold.set(true);
            append(log, lines("c", 2000, 4000));
            written.addAll(lines("c", 2000, 4000));
            sleep(200);
            Files.copy(log, dir.resolve("app.log.1"), StandardCopyOption.COPY_ATTRIBUTES);
            try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            append(log, lines("d", 0, 1000));
            written.addAll(lines("d", 0, 1000));
            h.release();
            awaitExactly(h, written);
            // the copy's lines kept the original's identity: same ids for the same offsets
            assertThat(h.acked.stream().filter(g -> g.text().startsWith("c-")).map(Harness.Got::fileId).distinct())
                    .hasSize(1);
        }
    }

    @Test
    void copytruncateWithUnreadBytesIsRecoveredFromTheCopy() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>();
        try (Harness h = new Harness()) {
            Harness.Builder b = Harness.options(dir.resolve("app.log*"), cp());
            b.maxInflight = 100; // the tailer falls behind the writer
            h.start(b.build());
            h.hold.set(true);
            append(log, lines("u", 0, 5000));
            written.addAll(lines("u", 0, 5000));
            await().atMost(WAIT).until(() -> h.held.size() >= 100);
            Files.copy(log, dir.resolve("app.log.1"));
            try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            append(log, lines("v", 0, 100));
            written.addAll(lines("v", 0, 100));
            // ack slowly, so that the truncation is seen while most of the file is unread
            Thread acker = new Thread(() -> {
                while (h.hold.get()) {
                    TailEvent e = h.held.poll();
                    if (e != null) {
                        h.acked.add(new Harness.Got(e.fileId(), e.offset(), e.text(), e.truncated(), e.path()));
                        e.done(true, null);
                    } else {
                        sleep(1);
                    }
                }
            });
            acker.start();
            await().atMost(WAIT).until(() -> h.acked.size() >= 1000);
            h.release();
            acker.join();
            awaitExactly(h, written);
        }
    }

    @Test
    void aCopyOlderThanWhatWasReadIsNotShippedAgainAfterTheTruncation() throws Exception {
        // copytruncate with lines written between the copy and the truncate, and already read
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(lines("o", 0, 500));
        append(log, written);
        try (Harness h = new Harness()) {
            h.start(Harness.options(dir.resolve("app.log*"), cp()).build());
            awaitExactly(h, written);
            Files.copy(log, dir.resolve("app.log.1"));
            append(log, lines("o", 500, 600));
            written.addAll(lines("o", 500, 600));
            awaitExactly(h, written); // the copy is older than what was read: it must not be shipped
            try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            append(log, lines("n", 0, 50));
            written.addAll(lines("n", 0, 50));
            awaitExactly(h, written);
            sleep(500);
            assertThat(h.acked).hasSize(written.size());
        }
    }

    @Test
    void aCopyOfAFileBeingReadIsNotShippedTwice() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(lines("b", 0, 300));
        append(log, written);
        try (Harness h = new Harness()) {
            h.start(Harness.options(dir.resolve("*.log"), cp()).build());
            awaitExactly(h, written);
            Files.copy(log, dir.resolve("backup.log"));
            append(log, lines("b", 300, 350));
            written.addAll(lines("b", 300, 350));
            awaitExactly(h, written);
            sleep(500);
            assertThat(h.acked).hasSize(written.size());
        }
    }

    @Test
    void aCopySeenWhileLogrotateIsStillWritingItIsNotReadAsANewFile() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(lines("w", 0, 2000));
        append(log, written);
        try (Harness h = new Harness()) {
            h.start(Harness.options(dir.resolve("app.log*"), cp()).build());
            awaitExactly(h, written);
            byte[] all = Files.readAllBytes(log);
            Path copy = dir.resolve("app.log.1");
            // the copy grows in steps, first shorter than the file's head, while the original is intact
            int[] steps = {300, 900, 20_000, all.length / 2, all.length};
            int done = 0;
            try (var out = java.nio.channels.FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                for (int step : steps) {
                    out.write(java.nio.ByteBuffer.wrap(all, done, step - done));
                    done = step;
                    sleep(120);
                }
            }
            try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            append(log, lines("x", 0, 100));
            written.addAll(lines("x", 0, 100));
            awaitExactly(h, written);
            sleep(500);
            assertThat(h.acked).hasSize(written.size());
        }
    }

    @Test
    void aCopyTruncateWhoseCopyIsStillGrowingWhenTheTruncationIsSeen() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(lines("g", 0, 3000));
        append(log, written);
        try (Harness h = new Harness()) {
            h.start(Harness.options(dir.resolve("app.log*"), cp()).build());
            awaitExactly(h, written);
            byte[] all = Files.readAllBytes(log);
            Path copy = dir.resolve("app.log.1");
            try (var out = java.nio.channels.FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(all, 0, 5000));
                // the original is truncated (and rewritten) while the copy is not finished
                try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                }
                append(log, lines("y", 0, 50));
                written.addAll(lines("y", 0, 50));
                sleep(300);
                out.write(java.nio.ByteBuffer.wrap(all, 5000, all.length - 5000));
            }
            awaitExactly(h, written);
            sleep(500);
            assertThat(h.acked).hasSize(written.size());
        }
    }

    @Test
    void truncationInPlaceRestartsAtZero() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(lines("t", 0, 100));
        append(log, written);
        try (Harness h = new Harness()) {
            h.start(Harness.options(log, cp()).build());
            awaitExactly(h, written);
            try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            // rewritten past the old size before the tailer looks: size alone would not tell
            append(log, lines("T", 0, 300));
            written.addAll(lines("T", 0, 300));
            awaitExactly(h, written);
        }
    }

    @Test
    void deleteAndRecreate() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(lines("x", 0, 100));
        append(log, written);
        try (Harness h = new Harness()) {
            h.start(Harness.options(log, cp()).build());
            awaitExactly(h, written);
            Files.delete(log);
            append(log, lines("y", 0, 50));
            written.addAll(lines("y", 0, 50));
            awaitExactly(h, written);
            Files.delete(log);
            sleep(300);
            append(log, lines("z", 0, 50));
            written.addAll(lines("z", 0, 50));
            awaitExactly(h, written);
        }
    }

    @Test
    void fileTruncatedAndRewrittenWhileStoppedIsReadFromItsStart() throws Exception {
        // the beats#45300 trap: resuming at the old offset in new content would skip its start
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(lines("old", 0, 100));
        append(log, written);
        try (Harness h = new Harness()) {
            h.start(Harness.options(log, cp()).build());
            awaitExactly(h, written);
            h.stop();
            try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            append(log, lines("new", 0, 200));
            written.addAll(lines("new", 0, 200));
            h.start(Harness.options(log, cp()).build());
            awaitExactly(h, written);
        }
    }

    @Test
    void fileRenamedOutOfTheGlobWhileStoppedIsDrainedByItsInode() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(lines("s", 0, 100));
        append(log, written);
        try (Harness h = new Harness()) {
            h.start(Harness.options(dir.resolve("*.log"), cp()).build());
            awaitExactly(h, written);
            h.stop();
            append(log, lines("s", 100, 180)); // written while down, then rotated out of *.log
            written.addAll(lines("s", 100, 180));
            Files.move(log, dir.resolve("app.log.1"));
            append(log, lines("t", 0, 30));
            written.addAll(lines("t", 0, 30));
            h.start(Harness.options(dir.resolve("*.log"), cp()).build());
            awaitExactly(h, written);
        }
    }

    @Test
    void copytruncateWhileStoppedContinuesInTheCopy() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(lines("p", 0, 100));
        append(log, written);
        try (Harness h = new Harness()) {
            h.start(Harness.options(dir.resolve("app.log*"), cp()).build());
            awaitExactly(h, written);
            h.stop();
            append(log, lines("p", 100, 150)); // written while Caravan was down, then rotated
            written.addAll(lines("p", 100, 150));
            Files.copy(log, dir.resolve("app.log.1"));
            try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            append(log, lines("q", 0, 20));
            written.addAll(lines("q", 0, 20));
            h.start(Harness.options(dir.resolve("app.log*"), cp()).build());
            awaitExactly(h, written);
        }
    }

    /**
     * The interleaving TailCrashIT found: a rename rotation starts a new app.log, its stream is
     * read and shipped, and the process is SIGKILLed before the periodic checkpoint has written
     * that stream; while it is down, copytruncate copies the generation to app.log.2 (a new inode)
     * and truncates app.log. After the restart the copy must continue the stream the lines were
     * shipped under (same file id, same offsets, from its checkpoint), not be a new file.
     */
    @Test
    void aGenerationKilledBeforeItsFirstPeriodicCheckpointKeepsItsIdentityInItsCopytruncateCopy() throws Exception {
        Path log = dir.resolve("app.log");
        Path checkpoint = cp().resolve("test.json");
        List<String> written = new ArrayList<>(lines("a", 0, 100));
        append(log, written);
        try (Harness h = new Harness()) {
            h.start(Harness.options(dir.resolve("app.log*"), cp()).build());
            awaitExactly(h, written);
        } // a polite stop: the first generation is checkpointed at its end
        List<String> gen2 = lines("b", 0, 300);
        java.util.Map<String, Harness.Got> before = new java.util.HashMap<>();
        try (Harness h = new Harness()) {
            Harness.Builder b = Harness.options(dir.resolve("app.log*"), cp());
            b.checkpointInterval = 3_600_000; // the kill comes before the next periodic checkpoint
            h.start(b.build());
            sleep(300);
            Files.move(log, dir.resolve("app.log.1"));
            append(log, gen2);
            awaitExactly(h, gen2);
            h.acked.forEach(g -> before.put(g.text(), g));
            byte[] atKill = Files.readAllBytes(checkpoint);
            h.stop();
            Files.write(checkpoint, atKill); // SIGKILL: nothing more reaches the disk
        }
        written.addAll(gen2);
        // while down: copytruncate of the second generation, then the logger goes on
        Files.copy(log, dir.resolve("app.log.2"));
        try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        List<String> gen3 = lines("c", 0, 50);
        append(log, gen3);
        written.addAll(gen3);
        try (Harness h = new Harness()) {
            h.start(Harness.options(dir.resolve("app.log*"), cp()).build());
            await().atMost(WAIT).until(() -> h.texts().containsAll(gen3) && h.texts().containsAll(gen2));
            sleep(500);
            assertThat(h.repeats()).as("lines shipped twice after the restart").isEmpty();
            assertThat(h.texts()).doesNotContainAnyElementsOf(lines("a", 0, 100));
            // what is shipped again is the same stream re-read from its checkpoint: same id, same offset
            for (Harness.Got g : h.acked) {
                Harness.Got first = before.get(g.text());
                if (first != null) {
                    assertThat(g.fileId()).as(g.text()).isEqualTo(first.fileId());
                    assertThat(g.offset()).as(g.text()).isEqualTo(first.offset());
                }
            }
        }
    }

    /**
     * Killed between logrotate's copy and its truncate, after lines written between the two were
     * shipped: after the restart the original is found truncated, and the copy (shorter than the
     * checkpoint) holds only what was shipped. It must not be read again as a new file.
     */
    @Test
    void aCopyOlderThanTheCheckpointIsNotShippedAgainWhenTheTruncationHappenedWhileStopped() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(lines("o", 0, 500));
        append(log, written);
        try (Harness h = new Harness()) {
            h.start(Harness.options(dir.resolve("app.log*"), cp()).build());
            awaitExactly(h, written);
            Files.copy(log, dir.resolve("app.log.1"));
            append(log, lines("o", 500, 600));
            written.addAll(lines("o", 500, 600));
            awaitExactly(h, written);
            h.stop();
            try (var ch = java.nio.channels.FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            append(log, lines("n", 0, 50));
            written.addAll(lines("n", 0, 50));
            h.acked.clear();
            h.start(Harness.options(dir.resolve("app.log*"), cp()).build());
            awaitExactly(h, lines("n", 0, 50));
            sleep(CopyJudge.COPY_SETTLE_MS + 1000); // the copy is judged once its size has settled
            assertThat(Harness.sorted(h.texts())).isEqualTo(Harness.sorted(lines("n", 0, 50)));
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

    @SafeVarargs
    private static List<String> concat(List<String>... ls) {
        List<String> out = new ArrayList<>();
        for (List<String> l : ls) {
            out.addAll(l);
        }
        return out;
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
