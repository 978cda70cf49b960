package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** New files are found when they are created, not at the next scan; writes alone wake nothing. */
class CreationWatchTest {
    private static final long HOUR = 3_600_000;

    @TempDir
    Path dir;

    /** The watcher's events arrive on the JDK's own thread: wait for them, briefly. */
    private static boolean within5s(BooleanSupplier check) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (check.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }

    @Test
    void saysWhenAMatchingFileIsCreatedOrACreatedEmptyOneGetsBytes() throws Exception {
        try (CreationWatch w = new CreationWatch(Glob.of(dir + "/app*.log"), 1000, true)) {
            w.watch(dir);
            assertThat(w.changed(0)).isFalse();

            Files.writeString(dir.resolve("app-1.log"), "one\n");
            assertThat(within5s(() -> w.changed(0))).as("a matching file with bytes").isTrue();
            assertThat(w.changed(0)).as("said once").isFalse();

            Files.writeString(dir.resolve("notes.txt"), "x\n");
            Files.writeString(dir.resolve("app-1.log"), "two\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            Thread.sleep(200);
            assertThat(w.changed(0)).as("another name, and a write to a known file").isFalse();

            Files.createFile(dir.resolve("app-2.log"));
            Thread.sleep(200);
            assertThat(w.changed(10)).as("created empty: nothing to read yet").isFalse();
            Files.writeString(dir.resolve("app-2.log"), "three\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            assertThat(w.changed(20)).as("the empty file has bytes now").isTrue();

            Files.createFile(dir.resolve("app-3.log"));
            Thread.sleep(200);
            assertThat(w.changed(30)).isFalse();
            assertThat(w.changed(1030)).as("still empty after a scan interval: left to the scans").isFalse();
            Files.writeString(dir.resolve("app-3.log"), "four\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            assertThat(w.changed(1040)).isFalse();
        }
    }

    /** A tailer of logs/app*.log whose next scan is an hour away on its clock, past its first file's line. */
    private Driven readingOld(boolean watch) throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("app.log"), "old\n");
        Driven d = new Driven(Driven.options(logs.resolve("app*.log"), dir.resolve("cp/t.json"), 8, 1000,
                RotationOptions.DEFAULT_COPY_WINDOW_MS, HOUR, watch));
        d.step(10);
        assertThat(d.held).extracting(TailEvent::text).containsExactly("old");
        d.completeAll();
        Files.writeString(logs.resolve("app-new.log"), "new\n");
        return d;
    }

    @Test
    void aFileCreatedAfterStartIsReadLongBeforeTheNextScan() throws Exception {
        try (Driven d = readingOld(true)) {
            assertThat(within5s(() -> {
                d.step(10);
                return !d.held.isEmpty();
            })).isTrue();
            assertThat(d.held).extracting(TailEvent::text).containsExactly("new");
        }
    }

    @Test
    void withTheWatchOffANewFileWaitsForTheScan() throws Exception {
        try (Driven d = readingOld(false)) {
            for (int i = 0; i < 30; i++) {
                d.step(10);
                Thread.sleep(10);
            }
            assertThat(d.held).as("not before the scan").isEmpty();
            d.clock.advance(HOUR);
            d.step(10);
            assertThat(d.held).extracting(TailEvent::text).containsExactly("new");
        }
    }
}
