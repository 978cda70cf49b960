package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.Envelope;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files to the real Kafka through the real ship route: in every case the multiset of messages on
 * the topic is exactly the multiset of lines written, no line lost and none repeated.
 */
class TailShipIT {
    // Generous: on a loaded 2-core machine a rotation test has taken over 60 s to drain.
    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private String uri(String glob, String extra) {
        return "tail:" + dir.resolve(glob) + "?checkpointDir=" + dir.resolve("checkpoints")
                + "&pollDelay=20&scanInterval=50&drainTimeout=500&partialLineTimeout=500" + extra;
    }

    private static void append(Path f, String s) throws Exception {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static List<String> lines(String prefix, int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(prefix + "-" + i + " GET /index.html HTTP/1.1 200 5120");
        }
        return l;
    }

    private static void append(Path f, List<String> lines) throws Exception {
        append(f, String.join("\n", lines) + "\n");
    }

    @Test
    void renameRotationWhileAWriterOutrunsTheShipper() throws Exception {
        try (ShipRig rig = new ShipRig(); RotatingWriter w = new RotatingWriter(dir.resolve("app.log"), "rename", 120)) {
            // *.log only: each renamed file is drained through its open handle, then let go. A
            // generation must be seen under its name before it is renamed away: no tailer can read a
            // file it never saw (shorter-lived ones need the rotated names in the glob, see TailerTest).
            // So each rename waits until the current generation has been shipped from; on a loaded
            // host a fixed 500 ms was sometimes shorter than one discovery scan.
            rig.start(uri("*.log", ""));
            w.start(500, 1_000_000, 50_000);
            // At least five rotations and 200,000 lines, however long the waits take on a loaded host
            // (a fixed 200,000 lines gave only 2 to 4 rotations there).
            while (!w.done() && (w.rotations() < 5 || w.count() < 200_000)) {
                Thread.sleep(500);
                rig.awaitFileIds(w.rotations() + 1, WAIT);
                w.rotateRename();
            }
            w.finish();
            List<Envelope> got = rig.await(w.count(), WAIT);
            ShipRig.assertExactly(got, w.written());
            assertThat(w.rotations()).isGreaterThanOrEqualTo(5);
            // one identity per generation (the last may still be empty)
            assertThat(got.stream().map(Envelope::fileId).distinct().count()).isBetween((long) w.rotations(), w.rotations() + 1L);
        }
    }

    @Test
    void copytruncateRotationWhileAWriterOutrunsTheShipper() throws Exception {
        try (ShipRig rig = new ShipRig(); RotatingWriter w = new RotatingWriter(dir.resolve("app.log"), "copy", 120)) {
            // app.log*: the copies are where the unread rest of each truncated generation is
            rig.start(uri("app.log*", ""));
            w.start(500, 200_000, 50_000);
            while (!w.done()) {
                Thread.sleep(500);
                w.rotateCopyTruncate();
            }
            assertThat(w.rotations()).isGreaterThanOrEqualTo(5);
            w.finish();
            ShipRig.assertExactly(rig.await(w.count(), WAIT), w.written());
        }
    }

    @Test
    void batchesShipEveryLineOnceInFileOrderThroughRotations() throws Exception {
        Path other = dir.resolve("other.log");
        List<String> otherLines = lines("other", 20_000);
        append(other, otherLines);
        try (ShipRig rig = new ShipRig(); RotatingWriter w = new RotatingWriter(dir.resolve("app.log"), "batch", 120)) {
            // *.log*: while the reader is busy with other.log, a generation of app.log may be renamed
            // before the reader first opens it; it is then found under its rotated name
            rig.start(uri("*.log*", "&maxBatchLines=300"));
            w.start(500, 200_000, 50_000);
            while (!w.done()) {
                Thread.sleep(500);
                w.rotateRename();
            }
            w.finish();
            List<String> written = new ArrayList<>(w.written());
            written.addAll(otherLines);
            List<Envelope> got = rig.await(written.size(), WAIT);
            ShipRig.assertExactly(got, written);
            assertThat(w.rotations()).isGreaterThanOrEqualTo(5);
            // one file's lines are on one partition, in the order they were written
            Map<String, List<Envelope>> byFile = new LinkedHashMap<>();
            got.forEach(e -> byFile.computeIfAbsent(e.fileId(), k -> new ArrayList<>()).add(e));
            assertThat(byFile.size()).isGreaterThan(w.rotations());
            List<String> appLines = w.written();
            Map<String, Integer> index = new java.util.HashMap<>();
            for (int i = 0; i < appLines.size(); i++) {
                index.put(appLines.get(i), i);
            }
            for (List<Envelope> file : byFile.values()) {
                // in the order the topic's partition holds them
                assertThat(file).extracting(Envelope::offset).isSorted();
                assertThat(file.stream().map(Envelope::path).distinct()).hasSize(1);
                if (file.get(0).path().equals(other.toString())) {
                    assertThat(file.stream().map(Envelope::message).toList()).isEqualTo(otherLines);
                } else {
                    assertThat(file).extracting(e -> index.get(e.message())).isSorted();
                }
            }
            assertThat(rig.partitionsPerFile()).allSatisfy((file, partitions) -> assertThat(partitions).hasSize(1));
        }
    }

    @Test
    void truncationDeletionAndRecreation() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(lines("first", 1000));
        append(log, written);
        try (ShipRig rig = new ShipRig()) {
            rig.start(uri("app.log", ""));
            rig.await(written.size(), WAIT);
            // truncated in place and rewritten past its old size before the tailer looks
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.truncate(0);
            }
            append(log, lines("second", 2000));
            written.addAll(lines("second", 2000));
            rig.await(written.size(), WAIT);
            Files.delete(log);
            Thread.sleep(200);
            append(log, lines("third", 500));
            written.addAll(lines("third", 500));
            rig.await(written.size(), WAIT);
            Files.delete(log);
            append(log, lines("fourth", 500)); // re-created at once, maybe on the same inode
            written.addAll(lines("fourth", 500));
            List<Envelope> got = rig.await(written.size(), WAIT);
            ShipRig.assertExactly(got, written);
            assertThat(got.stream().map(Envelope::fileId).distinct().count()).isEqualTo(4);
        }
    }

    @Test
    void globPicksUpNewFilesInNewDirectories() throws Exception {
        List<String> written = new ArrayList<>();
        try (ShipRig rig = new ShipRig()) {
            rig.start(uri("logs/**/*.log", "&exclude=*.debug.log"));
            for (int i = 0; i < 20; i++) {
                Path f = dir.resolve("logs/svc" + (i % 4) + "/day" + i + "/app.log");
                Files.createDirectories(f.getParent());
                append(f, lines("glob" + i, 100));
                written.addAll(lines("glob" + i, 100));
                append(f.resolveSibling("app.debug.log"), "never shipped\n");
                Thread.sleep(20);
            }
            List<Envelope> got = rig.await(written.size(), WAIT);
            ShipRig.assertExactly(got, written);
            assertThat(got.stream().map(Envelope::path).distinct().count()).isEqualTo(20);
        }
    }

    @Test
    void javaStackTracesBecomeOneEventEach() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> events = new ArrayList<>();
        StringBuilder file = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            String event = i % 3 == 0
                    ? "2026-11-24 04:05:06 ERROR request " + i + " failed\n"
                    + "java.lang.IllegalStateException: bad state " + i + "\n"
                    + "\tat caravan.Demo.handle(Demo.java:" + i + ")\n"
                    + "\tat java.base/java.lang.Thread.run(Thread.java:840)\n"
                    + "Caused by: java.io.IOException: disk " + i + "\n"
                    + "\tat caravan.Disk.write(Disk.java:12)\n"
                    + "\t... 2 more"
                    : "2026-11-24 04:05:06 INFO request " + i + " ok";
            events.add(event);
            file.append(event).append('\n');
        }
        append(log, file.toString());
        try (ShipRig rig = new ShipRig()) {
            rig.start(uri("app.log", "&multilinePattern=^\\d{4}-\\d{2}-\\d{2} &multilineMode=start&multilineTimeout=300"));
            List<Envelope> got = rig.await(events.size(), WAIT);
            ShipRig.assertExactly(got, events);
            // an event's offset is its first line's
            Envelope third = got.stream().filter(e -> e.message().contains("request 3 failed")).findFirst().orElseThrow();
            assertThat(third.offset()).isEqualTo(file.indexOf("2026-11-24 04:05:06 ERROR request 3 failed"));
        }
    }

    @Test
    void oversizedLineIsCutAtTheDefaultMegabyteAndFlagged() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> corpus = Files.readAllLines(Path.of("src/test/resources/corpus/apache_combined_10k.log"));
        StringBuilder huge = new StringBuilder();
        for (int i = 0; huge.length() < 3 * 1024 * 1024; i++) {
            huge.append(corpus.get(i % corpus.size())).append(' ');
        }
        append(log, "before\n" + huge + "\nafter\n");
        try (ShipRig rig = new ShipRig()) {
            rig.start(uri("app.log", ""));
            List<Envelope> got = rig.await(3, WAIT);
            ShipRig.assertExactly(got, List.of("before", huge.substring(0, 1024 * 1024), "after"));
            assertThat(got).filteredOn(Envelope::truncated).singleElement()
                    .satisfies(e -> assertThat(e.offset()).isEqualTo(7));
        }
    }

    @Test
    void invalidUtf8IsReplacedAndTheRestShipped() throws Exception {
        Path log = dir.resolve("app.log");
        byte[] bad = {'a', ' ', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF, '\n', (byte) 0xE2, (byte) 0x82, 'z', '\n'};
        Files.write(log, bad);
        append(log, "caf\u00e9 \u20ac ok\n");
        try (ShipRig rig = new ShipRig()) {
            rig.start(uri("app.log", ""));
            ShipRig.assertExactly(rig.await(3, WAIT), List.of("a \uFFFD( \uFFFD", "\uFFFDz", "caf\u00e9 \u20ac ok"));
        }
    }
}
