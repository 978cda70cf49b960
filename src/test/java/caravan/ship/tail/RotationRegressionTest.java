package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Deterministic cases, on a manual clock: issue 12's identical copies, and what the rotation model found. */
class RotationRegressionTest {
    @TempDir
    Path dir;

    private Driven driven(int maxOpenFiles, int maxInflight) throws Exception {
        return driven(dir, maxOpenFiles, maxInflight);
    }

    /** A driven tailer of {@code dir}'s app.log*, checkpointing to cp/t.json. */
    static Driven driven(Path dir, int maxOpenFiles, int maxInflight) throws Exception {
        return new Driven(Driven.options(dir.resolve("app.log*"), dir.resolve("cp/t.json"), maxOpenFiles, maxInflight));
    }

    static List<String> write(Path p, String prefix, int from, int to) throws IOException {
        List<String> l = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (int i = from; i < to; i++) {
            l.add(prefix + i);
            sb.append(prefix).append(i).append('\n');
        }
        Files.writeString(p, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return l;
    }

    static void steps(Driven d, int n, long ms) {
        for (int i = 0; i < n; i++) {
            d.completeAll();
            d.step(ms);
        }
    }

    /** {@code l}, {@code n} times over: the lines that {@code n} files holding them each ship. */
    static List<String> times(List<String> l, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.addAll(l);
        }
        return out;
    }

    static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        Collections.sort(c);
        return c;
    }

    /** A file that takes the only handle and keeps it: rotated away with its events in flight. */
    private List<String> holdTheOnlyHandle(Driven d) throws IOException {
        Path a = dir.resolve("app.log.a");
        List<String> l = write(a, "a-", 0, 3);
        d.step(100);
        Files.move(a, dir.resolve("gone.a"));
        return l;
    }

    @Test
    void aByteIdenticalCopyBesideAFollowedFileIsShippedInFull() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> lines = write(log, "seed-", 0, 50);
        try (Driven d = driven(1024, 10_000)) {
            steps(d, 5, 100);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
            Files.copy(log, dir.resolve("app.log.copy"));
            steps(d, 10, 1000); // within the copy window: it may still be a copytruncate copy
            assertThat(d.delivered).hasSize(50);
            steps(d, 60, 1000); // the original was not truncated: the copy is a file of its own
            List<String> twice = new ArrayList<>(lines);
            twice.addAll(lines);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(twice));
            assertThat(d.metrics.skipped).isEmpty();
        }
    }

    @Test
    void aCopyTruncateCopyHoldingOnlyWhatWasReadIsSkippedSaidAndCounted() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> lines = write(log, "a-", 0, 30);
        try (Driven d = driven(1024, 10_000)) {
            steps(d, 5, 100);
            Path copy = dir.resolve("app.log.1");
            Files.copy(log, copy);
            lines.addAll(write(log, "a-", 30, 40)); // read, and not in the copy
            steps(d, 5, 100);
            truncate(log);
            lines.addAll(write(log, "b-", 0, 5));
            steps(d, 30, 500);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
            assertThat(d.metrics.skipped).containsEntry("already-read", 1);
        }
    }

    @Test
    void linesAcknowledgedAfterAFailedOneAreNotSentAgainFromTheCopytruncateCopy() throws Exception {
        // model seed -569441496595350186: the skip list was the file's, lost when the stream moved to the copy
        Path log = dir.resolve("app.log");
        List<String> lines = write(log, "l-", 0, 10);
        try (Driven d = driven(1024, 10_000)) {
            d.step(100);
            assertThat(d.held).hasSize(10);
            for (int i = 0; i < 10; i++) {
                d.complete(i != 4); // the fifth fails, the rest are acknowledged
            }
            d.step(100); // rewinds to after line 3, to re-read in 50 ms
            Files.copy(log, dir.resolve("app.log.1"));
            truncate(log);
            steps(d, 30, 300);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }

    @Test
    void linesAcknowledgedAfterAFailedOneAreNotSentAgainAfterARestart() throws Exception {
        // model seed 2619856624980352251: the checkpoint kept only the contiguous prefix
        Path log = dir.resolve("app.log");
        List<String> lines = write(log, "r-", 0, 10);
        try (Driven d = driven(1024, 10_000)) {
            d.step(100);
            for (int i = 0; i < 10; i++) {
                d.complete(i != 4);
            }
            d.restart();
            steps(d, 10, 300);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }

    @Test
    void aCopyOfAFileRenamedOutOfTheGlobIsAFileOfItsOwn() throws Exception {
        // model seed -436838399249604788: the copy continued the original's stream at its end, unread
        Path log = dir.resolve("app.log");
        List<String> lines = write(log, "c-", 0, 20);
        try (Driven d = driven(1024, 10_000)) {
            steps(d, 3, 100);
            Files.copy(log, dir.resolve("app.log.2"));
            d.step(100);
            Files.move(log, dir.resolve("gone.3"));
            steps(d, 40, 3000);
            List<String> twice = new ArrayList<>(lines);
            twice.addAll(lines);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(twice));
        }
    }

    @Test
    void aRotatedAwayFileWaitsForAHandleInsteadOfBeingLetGoUnread() throws Exception {
        // model seed 9159269322485797551: let go at a stale size while another file held the only handle
        Path b = dir.resolve("app.log");
        List<String> lines = write(b, "b-", 0, 5);
        try (Driven d = driven(1, 10_000)) {
            steps(d, 3, 100);
            Path a = dir.resolve("app.log.a");
            lines.addAll(write(a, "a-", 0, 3));
            d.step(100); // a takes the only handle; its events stay in flight
            assertThat(d.held).hasSize(3);
            Files.move(a, dir.resolve("gone.a")); // rotated away with events in flight: it keeps the handle
            Files.move(b, dir.resolve("gone.b"));
            lines.addAll(write(dir.resolve("gone.b"), "b-", 5, 8)); // a late writer
            for (int i = 0; i < 6; i++) {
                d.step(500); // past drainTimeout, nothing acknowledged
            }
            steps(d, 20, 500);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }

    @Test
    void aRotatedAwayFileDeletedWhileWaitingForAHandleIsLetGoSaidAndItsCopyContinuesIt() throws Exception {
        // model seed -6061899573071305192: renamed out of the glob and deleted before a handle was free,
        // it waited for ever, and an identical copy made meanwhile was held with it
        Path b = dir.resolve("app.log");
        List<String> lines = write(b, "b-", 0, 5);
        try (Driven d = driven(1, 10_000)) {
            steps(d, 3, 100);
            lines.addAll(holdTheOnlyHandle(d));
            List<String> unread = write(b, "b-", 5, 8);
            d.step(100); // b grew, and waits for the handle
            Files.copy(b, dir.resolve("app.log.c")); // b's bytes: held while b may still be truncated
            d.step(100);
            Files.move(b, dir.resolve("gone.b"));
            d.step(100); // b is found by its inode, to be read to its end once it has a handle
            Files.delete(dir.resolve("gone.b"));
            steps(d, 20, 500);
            // a copy, then the original deleted: what a move across file systems looks like; the copy
            // continues b's stream, and b's unread lines arrive from it
            lines.addAll(unread);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
            assertThat(d.metrics.skipped).containsEntry("deleted-unread", 1);
        }
    }

    @Test
    void aCopyIsJudgedAtTheEndOfItsWindowEvenWhenNoHandleIsFreeForItsOriginal() throws Exception {
        // judged only once the original had a handle again, the copy was taken for a copytruncate copy
        // of a truncation made after its window, and its lines were not shipped
        Path b = dir.resolve("app.log");
        List<String> lines = write(b, "b-", 0, 5);
        try (Driven d = driven(1, 10_000)) {
            steps(d, 3, 100);
            lines.addAll(holdTheOnlyHandle(d));
            d.step(100);
            Files.copy(b, dir.resolve("app.log.c"));
            for (int i = 0; i < 70; i++) {
                d.step(1000); // past the copy window, b still intact, a's events still in flight
            }
            truncate(b); // after the window: the copy was a file of its own
            lines.addAll(write(b, "n-", 0, 2));
            steps(d, 20, 500);
            for (int i = 0; i < 5; i++) {
                lines.add("b-" + i); // the copy, in full
            }
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }
    @ParameterizedTest(name = "lines after the copied ones: {0}")
    @ValueSource(ints = {20, 0})
    void aCopytruncateCopyContinuesItsStreamThoughItHoldsAllOfAnotherFileBeingRead(int more) throws Exception {
        Path seed = dir.resolve("app.log.1");
        List<String> lines = write(seed, "s-", 0, 6);
        try (Driven d = driven(1024, 2)) {
            steps(d, 5, 100); // app.log.1's stream, first in the table, reads it all
            Path log = dir.resolve("app.log");
            Files.copy(seed, log);
            lines.addAll(lines);
            lines.addAll(write(log, "t-", 0, more));
            for (int i = 0; i < 70; i++) {
                d.step(1000); // past the copy window: a file of its own, read as far as two lines in flight allow
            }
            assertThat(d.held).hasSize(2);
            Files.copy(log, dir.resolve("app.log.2"));
            truncate(log);
            steps(d, 20, 7000); // steps that end past both copy windows at once
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }

    /** Also with its handle closed (idle past closeInactive): then the change time says when to look. */
    @ParameterizedTest(name = "handle closed first: {0}")
    @ValueSource(booleans = {false, true})
    void aFileTruncatedAndRewrittenToTheSameSizeBetweenTwoLooksIsReadAgain(boolean idleFirst) throws Exception {
        // model seed -5375024882950186344: the size had not changed, so the file was not verified
        Path log = dir.resolve("app.log");
        List<String> lines = write(log, "a-", 10, 40);
        try (Driven d = driven(1024, 10_000)) {
            steps(d, 3, 100);
            if (idleFirst) {
                steps(d, 5, 500);
            }
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
            long size = Files.size(log);
            truncate(log);
            lines.addAll(write(log, "b-", 10, 40));
            assertThat(Files.size(log)).isEqualTo(size);
            steps(d, 10, 100);
            assertThat(sorted(d.delivered)).isEqualTo(sorted(lines));
        }
    }

    static void truncate(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }
}
