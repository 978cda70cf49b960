package caravan.ship.tail;

import static caravan.ship.tail.RotationRegressionTest.sorted;
import static caravan.ship.tail.RotationRegressionTest.steps;
import static caravan.ship.tail.RotationRegressionTest.truncate;
import static caravan.ship.tail.RotationRegressionTest.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aFileOnTheInodeNumberOfADeletedStreamsFileIsNotThatStream() throws Exception {
        // CI, on a file system that gave app.log.2 the inode number of app.log.1, deleted: the case above
        // bound app.log.2 to app.log.1's stream by inode, head and anchor, and shipped t- again. Here the
        // same inode number comes back on purpose: app.log.1 leaves the directory (a delete, as far as the
        // tailer can tell), and its inode returns holding app.log's bytes as the copytruncate copy
        Path seed = dir.resolve("app.log.1");
        List<String> lines = write(seed, "s-", 0, 12);
        try (Driven d = driven()) {
            steps(d, 3, 100);
            Path log = dir.resolve("app.log");
            Files.copy(seed, log);
            steps(d, 70, 1000);
            lines.addAll(lines);
            lines.addAll(write(log, "t-", 0, 7));
            steps(d, 3, 100);
            Path away = Files.createDirectory(dir.resolve("away")).resolve("app.log.1");
            Files.move(seed, away);
            steps(d, 3, 500); // past drainTimeout: its stream lets go of the file it can no longer find
            Files.write(away, Files.readAllBytes(log), StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(away, dir.resolve("app.log.2"));
            truncate(log);
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
            Path away = Files.createDirectory(dir.resolve("away")).resolve("app.log.1");
            Files.move(copy, away);
            d.restart();
            steps(d, 3, 100); // the first look: app.log.1's inode is nowhere in its directory
            Files.write(away, Files.readAllBytes(log), StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(away, dir.resolve("app.log.2"));
            truncate(log);
            lines.addAll(write(log, "c-", 0, 3));
            steps(d, 20, 500);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }
}
