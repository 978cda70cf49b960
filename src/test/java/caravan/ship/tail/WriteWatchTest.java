package caravan.ship.tail;

import static caravan.ship.tail.TailFiles.append;
import static caravan.ship.tail.TailFiles.awaitExactly;
import static caravan.ship.tail.TailFiles.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * While its files are quiet the reader rests long, and a write to one of them ends the rest (inotify
 * on Linux, where these tests run): a line after a silence is read at once. Under a steady flow, and
 * beside files that other programs write often, no event per write wakes it.
 */
class WriteWatchTest {
    @TempDir
    Path dir;

    @Test
    void aLineAfterALongSilenceIsReadWithoutWaitingForTheRestToEnd() throws Exception {
        Path log = dir.resolve("app.log");
        append(log, "first\n");
        Harness.Builder b = Harness.options(log, dir.resolve("cp"));
        b.idlePollDelay = 120_000;
        JumpingClock clock = new JumpingClock();
        try (Harness h = new Harness().start(b.build(), clock)) {
            awaitExactly(h, List.of("first"));
            clock.offset = 3_600_000; // an hour of quiet: the reader's next rest is idlePollDelay, two minutes
            sleep(500);
            long t0 = System.nanoTime();
            append(log, "after an hour\n");
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                    .until(() -> h.texts().contains("after an hour"));
            System.out.printf("read %d ms after the write%n", (System.nanoTime() - t0) / 1_000_000);
        }
    }

    @Test
    void aWriteWakesOnlyWhileArmed() throws Exception {
        Path log = dir.resolve("a.log");
        append(log, "x\n");
        AtomicInteger woken = new AtomicInteger();
        try (WriteWatch w = new WriteWatch(Glob.of(dir + "/*.log"), woken::incrementAndGet, true, "test-writes")) {
            w.arm(0, Set.of(log));
            assertThat(w.armed()).isTrue();
            append(log, "y\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> woken.get() >= 1);

            w.disarm();
            int before = woken.get();
            for (int i = 0; i < 50; i++) {
                append(log, "z" + i + "\n");
                sleep(2);
            }
            sleep(500);
            assertThat(woken.get()).as("no wake-up per line while lines come").isEqualTo(before);
        }
    }

    @Test
    void otherFilesWrittenOftenInTheSameDirectoryTurnTheWatchOffForAWhile() throws Exception {
        Path log = dir.resolve("a.log");
        Path other = dir.resolve("other.txt");
        append(log, "x\n");
        AtomicInteger woken = new AtomicInteger();
        try (WriteWatch w = new WriteWatch(Glob.of(dir + "/*.log"), woken::incrementAndGet, true, "test-writes")) {
            w.arm(0, Set.of(log));
            for (int i = 0; i < 10; i++) {
                append(other, "o\n");
                sleep(20);
            }
            sleep(300);
            assertThat(woken.get()).as("a few writes to another file wake nothing").isZero();
            w.arm(100, Set.of(log));
            assertThat(w.armed()).isTrue();

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (woken.get() < 2 && System.nanoTime() < deadline) {
                append(other, "o\n");
                sleep(2);
            }
            assertThat(woken.get()).as("only once in %d other writes", WriteWatch.NOISY_PER_SECOND).isBetween(2, 4);
            w.arm(200, Set.of(log));
            assertThat(w.armed()).as("noisy: off").isFalse();
            w.arm(200 + WriteWatch.NOISY_PAUSE_MS - 1, Set.of(log));
            assertThat(w.armed()).as("for %d ms", WriteWatch.NOISY_PAUSE_MS).isFalse();
            w.arm(200 + WriteWatch.NOISY_PAUSE_MS, Set.of(log));
            assertThat(w.armed()).as("then on again").isTrue();
        }
    }

    @Test
    void aDirectoryThatComesLaterIsWatchedOnceItIsThere() throws Exception {
        Path later = dir.resolve("later");
        AtomicInteger woken = new AtomicInteger();
        try (WriteWatch w = new WriteWatch(Glob.of(later + "/*.log"), woken::incrementAndGet, true, "test-writes")) {
            w.arm(0, Set.of());
            w.disarm();
            java.nio.file.Files.createDirectories(later);
            Path log = later.resolve("a.log");
            append(log, "x\n");
            w.arm(100, Set.of(log));
            append(log, "y\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> woken.get() >= 1);
        }
    }

    @Test
    void offMeansNeverArmed() throws Exception {
        Path log = dir.resolve("a.log");
        append(log, "x\n");
        try (WriteWatch w = new WriteWatch(Glob.of(dir + "/*.log"), () -> { }, false, "test-writes")) {
            w.arm(0, Set.of(log));
            assertThat(w.armed()).isFalse();
        }
    }

    /** The system clock, moved ahead by the test. */
    private static final class JumpingClock extends MillisClock {
        volatile long offset;

        @Override
        public long millis() {
            return System.currentTimeMillis() + offset;
        }
    }
}
