package caravan.ship.tail;

import static caravan.ship.tail.TailFiles.append;
import static caravan.ship.tail.TailFiles.awaitExactly;
import static caravan.ship.tail.TailFiles.caughtUp;
import static caravan.ship.tail.TailFiles.lines;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint file of version 1 (anchors hashed byte by byte with FNV-1a) after an upgrade: its
 * anchors still prove a file unchanged, and still catch one rewritten while Caravan was down.
 */
class CheckpointVersionOneTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void resumesWhereAVersionOneCheckpointStoppedAndWritesVersionTwoOnceItMoves() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>(append(log, lines("a", 0, 300)));
        try (Harness h = caughtUp(log, cp(), written)) {
            h.stop();
            Path file = asVersionOne(log);
            written.addAll(append(log, lines("a", 300, 400)));
            h.start(Harness.options(log, cp()).build());
            awaitExactly(h, written);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Files.readString(file))
                    .startsWith("{\"version\": 2,").doesNotContain("hash-kind"));
        }
    }

    @Test
    void aVersionOneAnchorStillCatchesAFileRewrittenInPlaceWhileStopped() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> old = append(log, lines("a", 0, 300));
        List<String> written = new ArrayList<>(old);
        try (Harness h = caughtUp(log, cp(), written)) {
            h.stop();
            asVersionOne(log);
            // the same size, inode and head: only the bytes just before the checkpoint differ
            List<String> rewritten = new ArrayList<>(old);
            rewritten.set(299, old.get(299).replace("a-299", "b-299"));
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap((String.join("\n", rewritten) + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            }
            written.addAll(rewritten);
            h.start(Harness.options(log, cp()).build());
            awaitExactly(h, written);
        }
    }

    private Path cp() {
        return dir.resolve("cp");
    }

    /** Rewrites the saved checkpoint file as version 1 wrote it: each anchor hashed by {@link Hashes#hash}. */
    private Path asVersionOne(Path log) throws IOException {
        Path file;
        try (Stream<Path> s = Files.list(cp())) {
            file = s.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(log);
        ObjectNode root = (ObjectNode) JSON.readTree(file.toFile());
        assertThat(root.path("version").asInt()).isEqualTo(CheckpointStore.VERSION);
        root.put("version", 1);
        for (var entry : root.path("files")) {
            int offset = entry.path("offset").asInt();
            int len = entry.path("anchor").path("len").asInt();
            assertThat(offset).isEqualTo(bytes.length);
            assertThat(len).isEqualTo(LineSplitter.ANCHOR_MAX);
            ((ObjectNode) entry.path("anchor")).put("hash", Hashes.hex(Hashes.hash(bytes, offset - len, len)));
        }
        JSON.writeValue(file.toFile(), root);
        return file;
    }
}
