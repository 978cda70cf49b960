package caravan.ship.tail;

import static caravan.ship.tail.TailFiles.append;
import static caravan.ship.tail.TailFiles.awaitExactly;
import static caravan.ship.tail.TailFiles.caughtUp;
import static caravan.ship.tail.TailFiles.awaitExactlyAndNoMore;
import static caravan.ship.tail.TailFiles.lines;
import static caravan.ship.tail.TailFiles.sleep;
import static caravan.ship.tail.TailFiles.truncate;
import static caravan.ship.tail.TailFiles.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** copytruncate rotation while the tailer runs: every line once, from the file or from its copy. */
class TailerCopytruncateTest {
    @TempDir
    Path dir;

    private Path cp() {
        return dir.resolve("cp");
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
            written.addAll(append(log, lines("c", 0, 2000)));
            await().atMost(WAIT).until(() -> h.acked.size() >= 2000);
            // Kafka is slow: lines pile up unacknowledged, then the file is copied and truncated
            h.hold.set(true);
            written.addAll(append(log, lines("c", 2000, 4000)));
            sleep(200);
            Files.copy(log, dir.resolve("app.log.1"), StandardCopyOption.COPY_ATTRIBUTES);
            truncate(log);
            written.addAll(append(log, lines("d", 0, 1000)));
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
            written.addAll(append(log, lines("u", 0, 5000)));
            await().atMost(WAIT).until(() -> h.held.size() >= 100);
            Files.copy(log, dir.resolve("app.log.1"));
            truncate(log);
            written.addAll(append(log, lines("v", 0, 100)));
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
        List<String> written = new ArrayList<>(append(log, lines("o", 0, 500)));
        try (Harness h = caughtUp(dir.resolve("app.log*"), cp(), written)) {
            Files.copy(log, dir.resolve("app.log.1"));
            written.addAll(append(log, lines("o", 500, 600)));
            awaitExactly(h, written); // the copy is older than what was read: it must not be shipped
            truncate(log);
            written.addAll(append(log, lines("n", 0, 50)));
            awaitExactlyAndNoMore(h, written);
        }
    }

    @Test
    void aCopyOfAFileBeingReadIsNotShippedTwice() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(append(log, lines("b", 0, 300)));
        try (Harness h = caughtUp(dir.resolve("*.log"), cp(), written)) {
            Files.copy(log, dir.resolve("backup.log"));
            written.addAll(append(log, lines("b", 300, 350)));
            awaitExactlyAndNoMore(h, written);
        }
    }

    @Test
    void aCopySeenWhileLogrotateIsStillWritingItIsNotReadAsANewFile() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(append(log, lines("w", 0, 2000)));
        try (Harness h = caughtUp(dir.resolve("app.log*"), cp(), written)) {
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
            truncate(log);
            written.addAll(append(log, lines("x", 0, 100)));
            awaitExactlyAndNoMore(h, written);
        }
    }

    @Test
    void aCopyTruncateWhoseCopyIsStillGrowingWhenTheTruncationIsSeen() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(append(log, lines("g", 0, 3000)));
        try (Harness h = caughtUp(dir.resolve("app.log*"), cp(), written)) {
            byte[] all = Files.readAllBytes(log);
            Path copy = dir.resolve("app.log.1");
            try (var out = java.nio.channels.FileChannel.open(copy, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                out.write(java.nio.ByteBuffer.wrap(all, 0, 5000));
                // the original is truncated (and rewritten) while the copy is not finished
                truncate(log);
                written.addAll(append(log, lines("y", 0, 50)));
                sleep(300);
                out.write(java.nio.ByteBuffer.wrap(all, 5000, all.length - 5000));
            }
            awaitExactlyAndNoMore(h, written);
        }
    }
}
