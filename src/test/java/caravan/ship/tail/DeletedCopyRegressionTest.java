package caravan.ship.tail;

import static caravan.ship.tail.RotationRegressionTest.driven;
import static caravan.ship.tail.RotationRegressionTest.sorted;
import static caravan.ship.tail.RotationRegressionTest.steps;
import static caravan.ship.tail.RotationRegressionTest.times;
import static caravan.ship.tail.RotationRegressionTest.truncate;
import static caravan.ship.tail.RotationRegressionTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the rotation model found about deleted copies, on a manual clock: a copy read as a file of its
 * own and then deleted leaves a stream behind, and no other file may continue that stream unless it
 * holds its lines (a copytruncate copy, a renamed file and a file being read again are files of their
 * own).
 */
class DeletedCopyRegressionTest {
    @TempDir
    Path dir;

    @Test
    void aCopytruncateCopyContinuesTheTruncatedStreamThoughADeletedCopysStreamReadFurther() throws Exception {
        // model seed 9129486570945572438: app.log.1, a copy of app.log read as a file of its own, was
        // deleted; app.log's checkpoint was held back by a failed delivery when it was copytruncated to
        // app.log.2. Both streams matched app.log.2 by head and anchor, the deleted copy's read further,
        // and it continued there: it shipped again, under its own ids, what app.log's stream had shipped
        Path log = dir.resolve("app.log");
        try (Driven d = new Driven(Driven.options(dir.resolve("app.log*"), dir.resolve("cp/t.json"), 1024, 10_000, 5842))) {
            List<String> copied = write(log, "c-", 0, 40);
            d.step(300);
            d.step(300);
            Files.copy(log, dir.resolve("app.log.1"));
            d.step(400);
            d.step(11_379); // past the copy window: app.log.1 is a file of its own
            d.step(400);
            List<String> after = write(log, "a-", 0, 20);
            d.step(40_172);
            for (int j = 0; j < 31; j++) {
                d.complete(j % 5 != 4); // app.log's stream pauses at its first failure, to re-read from its checkpoint
            }
            d.step(250);
            // app.log.2 is copied while app.log.1 still exists, so that it cannot take app.log.1's inode
            // number (a reused inode with the same head and anchor is indistinguishable from a restart)
            Path staged = dir.resolve("staged");
            Files.copy(log, staged);
            Files.delete(dir.resolve("app.log.1"));
            d.step(13);
            Files.move(staged, dir.resolve("app.log.2"));
            truncate(log);
            List<String> fresh = write(log, "n-", 0, 11);
            d.restart();
            d.drain();
            List<String> lines = new ArrayList<>(copied);
            lines.addAll(copied);
            lines.addAll(after);
            lines.addAll(fresh);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }

    @Test
    void twoFilesOfOneScanDoNotBothContinueADeletedCopysStream() throws Exception {
        // model seed -375187760829892830: app.log.2 and app.log.3, copies of app.log, and app.log itself
        // all matched the stream of app.log.3, deleted while Caravan was down. app.log.2 continued it,
        // and then app.log did too, in the same scan: app.log's own lines were never shipped
        // on tmpfs, where a directory lists its newest files first as the model's did: app.log.2 before app.log
        Path dir = Driven.tmpfsDir("rotation", this.dir);
        Path log = dir.resolve("app.log");
        try (Driven d = new Driven(Driven.options(dir.resolve("app.log*"), dir.resolve("cp/t.json"), 1024, 1, 22_050))) {
            List<String> early = write(log, "e-", 0, 20);
            Files.copy(log, dir.resolve("app.log.1"));
            steps(d, 5, 200); // app.log.1 is read; app.log is held as what may be its copy
            List<String> copied = write(log, "c-", 0, 9);
            Files.copy(log, dir.resolve("app.log.2"));
            Files.copy(log, dir.resolve("app.log.3"));
            d.step(200);
            d.step(44_527); // past the copy window
            d.restart();
            List<String> own = write(log, "o-", 0, 8);
            Files.delete(dir.resolve("app.log.3"));
            steps(d, 5, 400);
            Files.delete(dir.resolve("app.log.2"));
            own.addAll(write(log, "p-", 0, 11));
            Files.delete(dir.resolve("app.log.1"));
            d.drain();
            for (String line : own) {
                assertThat(Collections.frequency(d.delivered, line)).as(line).isEqualTo(1); // only app.log held it
            }
            for (String line : early) {
                assertThat(Collections.frequency(d.delivered, line)).as(line).isBetween(1, 4);
            }
            for (String line : copied) {
                assertThat(Collections.frequency(d.delivered, line)).as(line).isBetween(1, 3);
            }
        } finally {
            if (!dir.equals(this.dir)) {
                Driven.deleteTree(dir);
            }
        }
    }

    @Test
    void aCopyOfAFileRenamedOutOfTheGlobIsNotADeletedCopysContinuation() throws Exception {
        // model seed -3711817583898839417: app.log.1, a copy of app.log's first line, was read and
        // deleted; app.log.2, a copy of app.log, was held while app.log was read, then app.log was
        // renamed out of the glob. app.log.2 matched only the deleted copy's stream among the streams
        // whose file is gone, and continued it: its first line was never shipped for it
        Path log = dir.resolve("app.log");
        try (Driven d = driven(dir, 1024, 10_000)) {
            List<String> first = write(log, "f-", 0, 1);
            Files.copy(log, dir.resolve("app.log.1"));
            steps(d, 2, 500);
            List<String> later = write(log, "l-", 0, 13);
            steps(d, 3, 400);
            Path staged = dir.resolve("staged"); // not app.log.1's inode number, reused
            Files.copy(log, staged);
            Files.delete(dir.resolve("app.log.1"));
            steps(d, 3, 400); // its stream lets go of the deleted file
            Files.move(staged, dir.resolve("app.log.2"));
            steps(d, 3, 400); // held as what may be app.log's copytruncate copy
            Files.move(log, dir.resolve("gone.3"));
            d.drain();
            List<String> lines = times(first, 3); // app.log, app.log.1 and app.log.2, each a file of its own
            lines.addAll(times(later, 2));
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }

    @Test
    void aCopyOfAFileBeingReReadIsNotADeletedCopysContinuation() throws Exception {
        // model seed -5759221003811753009: app.log.1, a copy of app.log's first lines, was read and
        // deleted; app.log.2, a copy of app.log, matched app.log.1's stream by head and anchor. It was
        // checked for having been read further by another stream, but app.log was being re-read after a
        // failed delivery, from behind app.log.1's end: app.log.2 continued app.log.1's stream, and
        // app.log's lines shipped after that end were never shipped for app.log.2
        Path log = dir.resolve("app.log");
        try (Driven d = driven(dir, 2, 10_000)) {
            List<String> first = write(log, "f-", 0, 6);
            Files.copy(log, dir.resolve("app.log.1"));
            List<String> later = write(log, "l-", 0, 15);
            d.step(193);
            for (int j = 0; j < 10; j++) {
                d.complete(j % 5 != 4);
            }
            Path staged = dir.resolve("staged"); // not app.log.1's inode number, reused (see above)
            Files.copy(log, staged);
            Files.delete(dir.resolve("app.log.1"));
            d.step(236);
            Files.move(staged, dir.resolve("app.log.2"));
            d.step(145);
            d.step(555);
            d.drain();
            List<String> lines = times(first, 3); // app.log, app.log.1 and app.log.2, each a file of its own
            lines.addAll(times(later, 2));
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }

    /**
     * app.log began as a copy of app.log.1 and is read only as far as two lines in flight allow; its
     * copytruncate copy app.log.2 holds all that was read of app.log.1 too. Model seed
     * 5259075012295821851 ({@code more} lines after the copied ones: app.log.2 is longer than
     * app.log.1, so it cannot be its copy) and 8568703185404308208 (none: app.log.2 is app.log.1 byte
     * for byte, but app.log was just truncated and app.log.2 holds the anchor of its stream): it was
     * held as app.log.1's copy until app.log's copy window had passed, then shipped in full again.
     */
}
