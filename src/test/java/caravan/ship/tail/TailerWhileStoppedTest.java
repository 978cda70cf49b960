package caravan.ship.tail;

import static caravan.ship.tail.TailFiles.append;
import static caravan.ship.tail.TailFiles.awaitExactly;
import static caravan.ship.tail.TailFiles.caughtUp;
import static caravan.ship.tail.TailFiles.lines;
import static caravan.ship.tail.TailFiles.sleep;
import static caravan.ship.tail.TailFiles.truncate;
import static caravan.ship.tail.TailFiles.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What happens to the files while the tailer is stopped: it resumes each stream where it was, once. */
class TailerWhileStoppedTest {
    @TempDir
    Path dir;

    private Path cp() {
        return dir.resolve("cp");
    }

    @Test
    void fileTruncatedAndRewrittenWhileStoppedIsReadFromItsStart() throws Exception {
        // the beats#45300 trap: resuming at the old offset in new content would skip its start
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(append(log, lines("old", 0, 100)));
        try (Harness h = caughtUp(log, cp(), written)) {
            h.stop();
            truncate(log);
            written.addAll(append(log, lines("new", 0, 200)));
            h.start(Harness.options(log, cp()).build());
            awaitExactly(h, written);
        }
    }

    @Test
    void fileRenamedOutOfTheGlobWhileStoppedIsDrainedByItsInode() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(append(log, lines("s", 0, 100)));
        try (Harness h = caughtUp(dir.resolve("*.log"), cp(), written)) {
            h.stop();
            written.addAll(append(log, lines("s", 100, 180))); // written while down, then rotated out of *.log
            Files.move(log, dir.resolve("app.log.1"));
            written.addAll(append(log, lines("t", 0, 30)));
            h.start(Harness.options(dir.resolve("*.log"), cp()).build());
            awaitExactly(h, written);
        }
    }

    @Test
    void copytruncateWhileStoppedContinuesInTheCopy() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(append(log, lines("p", 0, 100)));
        try (Harness h = caughtUp(dir.resolve("app.log*"), cp(), written)) {
            h.stop();
            written.addAll(append(log, lines("p", 100, 150))); // written while Caravan was down, then rotated
            Files.copy(log, dir.resolve("app.log.1"));
            truncate(log);
            written.addAll(append(log, lines("q", 0, 20)));
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
        List<String> written = new ArrayList<>(append(log, lines("a", 0, 100)));
        caughtUp(dir.resolve("app.log*"), cp(), written).close(); // a polite stop: the first generation is checkpointed at its end
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
        truncate(log);
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
        List<String> written = new ArrayList<>(append(log, lines("o", 0, 500)));
        try (Harness h = caughtUp(dir.resolve("app.log*"), cp(), written)) {
            Files.copy(log, dir.resolve("app.log.1"));
            written.addAll(append(log, lines("o", 500, 600)));
            awaitExactly(h, written);
            h.stop();
            truncate(log);
            written.addAll(append(log, lines("n", 0, 50)));
            h.acked.clear();
            h.start(Harness.options(dir.resolve("app.log*"), cp()).build());
            awaitExactly(h, lines("n", 0, 50));
            sleep(CopyJudge.COPY_SETTLE_MS + 1000); // the copy is judged once its size has settled
            assertThat(Harness.sorted(h.texts())).isEqualTo(Harness.sorted(lines("n", 0, 50)));
        }
    }
}
