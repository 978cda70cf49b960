package caravan.ship.tail;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One endpoint's checkpoints: a small JSON file that a person can read, written atomically.
 *
 * <p>A save writes a temporary file, fsyncs it, renames it over the old one and fsyncs the
 * directory, so that after a crash or power loss the file is either the previous or the new
 * version, never a torn mix; and once {@link #save} returns, a restart sees what it saved.
 *
 * <pre>{@code
 * {"version": 2, "updated": "2026-11-24T04:05:06.789Z", "files": [
 *   {"id": "803-2e41a-5d0c1f...", "path": "/var/log/app.log", "offset": 123456, "dev": 2051, "ino": 189,
 *    "head": {"len": 1024, "hash": "..."}, "anchor": {"len": 64, "hash": "..."}, "seen": "...",
 *    "ahead": [[123500, 123580]]}
 * ]}
 * }</pre>
 *
 * <p>Version 2 hashes anchors with {@link Hashes#anchor}. A version 1 file is read too: its anchors
 * were hashed with {@link Hashes#hash}, and each is written back with {@code "hash-kind": "fnv1a"}
 * until its stream ships a line past it (in memory its length is negative: see
 * {@link HandlePool#holdsAnchor}).
 */
final class CheckpointStore {
    static final int VERSION = 2;
    /** The anchor hash of version 1, kept by entries not read since. */
    private static final String FNV1A = "fnv1a";
    private static final JsonFactory JSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

    /**
     * One followed stream at its acknowledged position.
     *
     * @param id         the file identity shipped as {@code caravan.file_id}
     * @param path       the path the stream was first seen at ({@code log.file.path})
     * @param offset     end of the contiguous prefix Kafka acknowledged: the next byte to ship
     * @param dev        device of the file when last seen
     * @param ino        inode of the file when last seen
     * @param headLen    how many leading bytes {@code headHash} covers
     * @param headHash   hash of the first {@code headLen} bytes
     * @param anchorLen  how many bytes before {@code offset} {@code anchorHash} covers; negative for
     *                   a version 1 anchor
     * @param anchorHash hash of the bytes just before {@code offset}: proves the file still holds
     *                   what was shipped before resuming there
     * @param seen       epoch millis the stream was last seen on disk
     * @param ahead      events past {@code offset} that were acknowledged after a failed one
     *                   (start offset to end offset): the re-read does not send them again
     */
    record Entry(String id, String path, long offset, long dev, long ino, int headLen, long headHash,
                 int anchorLen, long anchorHash, long seen, SortedMap<Long, Long> ahead) {

        Entry(String id, String path, long offset, long dev, long ino, int headLen, long headHash,
              int anchorLen, long anchorHash, long seen) {
            this(id, path, offset, dev, ino, headLen, headHash, anchorLen, anchorHash, seen, new TreeMap<>());
        }
    }

    private final Path file;

    CheckpointStore(Path file) {
        this.file = file;
    }

    Path file() {
        return file;
    }

    /** What was saved last, or nothing if there is no file yet. */
    List<Entry> load() throws IOException {
        List<Entry> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException("checkpoint file " + file + " is not valid JSON (" + e.getMessage()
                    + "); fix it, or move it away to start over (files are then read per startPosition)", e);
        }
        int version = root == null || !root.isObject() ? 0 : root.path("version").asInt();
        if (version != 1 && version != VERSION) {
            throw new IOException("checkpoint file " + file + " is not a version 1 or " + VERSION
                    + " tail checkpoint file; move it away to start over");
        }
        for (JsonNode n : root.path("files")) {
            SortedMap<Long, Long> ahead = new TreeMap<>();
            for (JsonNode a : n.path("ahead")) {
                ahead.put(a.path(0).asLong(), a.path(1).asLong());
            }
            out.add(new Entry(n.path("id").asText(), n.path("path").asText(), n.path("offset").asLong(),
                    n.path("dev").asLong(), n.path("ino").asLong(),
                    n.path("head").path("len").asInt(), Hashes.parseHex(n.path("head").path("hash").asText("0")),
                    anchorLen(n.path("anchor"), version), Hashes.parseHex(n.path("anchor").path("hash").asText("0")),
                    parseTime(n.path("seen").asText(null)), ahead));
        }
        return out;
    }

    private static int anchorLen(JsonNode anchor, int version) {
        int len = anchor.path("len").asInt();
        return version == 1 || FNV1A.equals(anchor.path("hash-kind").asText(null)) ? -len : len;
    }

    void save(Collection<Entry> entries) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] bytes = render(entries);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the checkpoint directory " + file.getParent()
                    + " does not support atomic renames; put checkpointDir on a local file system", e);
        }
        fsyncDirectory(file.toAbsolutePath().getParent());
    }

    /** Makes the rename itself durable. Some file systems refuse to sync a directory; then the rename is as durable as they allow. */
    private static void fsyncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not supported here (e.g. some network file systems): nothing more we can do
        }
    }

    static byte[] render(Collection<Entry> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + entries.size() * 256);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.setRootValueSeparator(null); // the entries are separated by hand, one per line
            g.writeRaw("{\"version\": " + VERSION + ", \"updated\": \"" + Instant.now() + "\", \"files\": [");
            boolean first = true;
            for (Entry e : entries) {
                // One entry per line: readable, and diff-friendly.
                g.writeRaw(first ? "\n  " : ",\n  ");
                first = false;
                g.writeStartObject();
                g.writeStringField("id", e.id());
                g.writeStringField("path", e.path());
                g.writeNumberField("offset", e.offset());
                g.writeNumberField("dev", e.dev());
                g.writeNumberField("ino", e.ino());
                g.writeObjectFieldStart("head");
                g.writeNumberField("len", e.headLen());
                g.writeStringField("hash", Hashes.hex(e.headHash()));
                g.writeEndObject();
                g.writeObjectFieldStart("anchor");
                g.writeNumberField("len", Math.abs(e.anchorLen()));
                g.writeStringField("hash", Hashes.hex(e.anchorHash()));
                if (e.anchorLen() < 0) {
                    g.writeStringField("hash-kind", FNV1A);
                }
                g.writeEndObject();
                g.writeStringField("seen", Instant.ofEpochMilli(e.seen()).toString());
                if (!e.ahead().isEmpty()) {
                    g.writeArrayFieldStart("ahead");
                    for (var a : e.ahead().entrySet()) {
                        g.writeStartArray();
                        g.writeNumber(a.getKey());
                        g.writeNumber(a.getValue());
                        g.writeEndArray();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
                g.flush();
            }
            g.writeRaw("\n]}\n");
        }
        return out.toByteArray();
    }

    private static long parseTime(String s) {
        if (s == null) {
            return System.currentTimeMillis();
        }
        try {
            return Instant.parse(s).toEpochMilli();
        } catch (RuntimeException e) {
            return System.currentTimeMillis();
        }
    }
}
