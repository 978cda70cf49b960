package caravan.ship.tail;

import static caravan.ship.tail.RotationRegressionTest.sorted;
import static caravan.ship.tail.RotationRegressionTest.steps;
import static caravan.ship.tail.RotationRegressionTest.truncate;
import static caravan.ship.tail.RotationRegressionTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A deleted file's inode number goes to the next file created (ext4 does so at once; the model runs
 * on tmpfs, which does not, and found these only with {@code -Dtail.model.dir} on a disk): the
 * tailer forgets the number of a file it saw deleted, and keeps the checkpoint's up to date.
 */
class InodeReuseRegressionTest {
    @TempDir
    Path dir;

    private Driven driven() throws Exception {
        return new Driven(Driven.options(dir.resolve("app.log*"), dir.resolve("cp/t.json"), 1024, 10_000));
    }

    /** Out of the directory: to the tailer, deleted. The inode stays, to come back on purpose. */
    private Path moveAway(Path file) throws IOException {
        Path away = Files.createDirectories(dir.resolve("away")).resolve(file.getFileName());
        Files.move(file, away);
        return away;
    }

    /** The file's inode returns as {@code app.log.2}, holding {@code log}'s bytes: its copytruncate copy. */
    private void returnsAsTheCopy(Path away, Path log) throws IOException {
        Files.write(away, Files.readAllBytes(log), StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(away, dir.resolve("app.log.2"));
        truncate(log);
    }

    @ParameterizedTest
    @ValueSource(strings = {"deleted", "moved away", "moved away while open"})
    void aCopytruncateCopyContinuesTheTruncatedStreamNotADeletedCopysStream(String how) throws Exception {
        // model seed 2143469776194458563: the copytruncate copy matched, by head and anchor, the stream of an
        // earlier copy (deleted), which came first in the table; that stream continued in it from its own end,
        // and shipped again the lines the truncated file had shipped. Then on CI, whose disk gave app.log.2 the
        // deleted app.log.1's inode number, it was bound to that stream by inode, head and anchor, with the same
        // result. "moved away" makes that happen on any file system: without a handle on app.log.1 (let go of
        // when idle), or with one, read to the end after the move and then let go of
        Path seed = dir.resolve("app.log.1");
        List<String> lines = write(seed, "s-", 0, 12);
        try (Driven d = driven()) {
            steps(d, 3, 100); // app.log.1's stream is the first in the table
            Path log = dir.resolve("app.log");
            Files.copy(seed, log);
            steps(d, 70, 1000); // a file of its own: shipped in full once the copy window is over
            lines.addAll(lines);
            if (how.endsWith("while open")) {
                // one more line in both: app.log.1 is read again, so open, when it is moved away
                lines.addAll(write(seed, "s-", 12, 13));
                lines.addAll(write(log, "s-", 12, 13));
            }
            lines.addAll(write(log, "t-", 0, 7));
            steps(d, 3, 100);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
            Path away = null;
            if (how.equals("deleted")) {
                Files.delete(seed);
            } else {
                away = moveAway(seed);
            }
            steps(d, 3, 500); // past drainTimeout: its stream lets go of the file it can no longer find
            if (away == null) {
                Files.copy(log, dir.resolve("app.log.2"));
                truncate(log);
            } else {
                returnsAsTheCopy(away, log);
            }
            lines.addAll(write(log, "u-", 0, 3));
            steps(d, 20, 500);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }

    @Test
    void aStreamContinuedInAnotherFileAtItsEndIsCheckpointedThere() throws Exception {
        // model seed 7408473514691232764 on ext4: app.log continued app.log.1's stream (deleted) at its end.
        // The offset had not moved, so the checkpoint kept app.log.1's inode; app.log was renamed out of the
        // glob and Caravan restarted before its next look: not found by its inode, its last lines were lost
        Path first = dir.resolve("app.log.1");
        List<String> lines = write(first, "f-", 0, 9);
        try (Driven d = driven()) {
            steps(d, 3, 100);
            Path log = dir.resolve("app.log");
            Files.copy(first, log); // held: a copy of a file being read
            steps(d, 2, 100);
            Files.delete(first);
            steps(d, 5, 500); // the copy, the original deleted: a move; app.log continues the stream at its end
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
            lines.addAll(write(log, "g-", 0, 15));
            Files.move(log, dir.resolve("gone.2"));
            d.restart(); // no look between: after the restart, only the checkpoint's inode finds gone.2
            d.drain();
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }

    @Test
    void aStreamWhoseFileWentWhileDownForgetsItsInodeNumber() throws Exception {
        // model seed -7110355782704500523 on ext4: app.log.1, a copy of app.log read as a file of its own,
        // was deleted while Caravan was down; its number went to app.log.2, app.log's copytruncate copy,
        // which begins alike. Bound to app.log.1's stream by inode, head and anchor, it shipped app.log's
        // later lines again. Here app.log.1 leaves the directory while down, and its inode comes back as the copy
        Path log = dir.resolve("app.log");
        List<String> lines = write(log, "a-", 0, 6);
        try (Driven d = driven()) {
            steps(d, 3, 100);
            Path copy = dir.resolve("app.log.1");
            Files.copy(log, copy);
            steps(d, 70, 1000); // past the copy window: a file of its own
            lines.addAll(lines);
            lines.addAll(write(log, "b-", 0, 4));
            steps(d, 3, 100);
            Path away = moveAway(copy);
            d.restart();
            steps(d, 3, 100); // the first look: app.log.1's inode is nowhere in its directory
            returnsAsTheCopy(away, log);
            lines.addAll(write(log, "c-", 0, 3));
            steps(d, 20, 500);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }
}
