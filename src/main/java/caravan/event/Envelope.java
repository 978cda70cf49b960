package caravan.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The record on {@code logs-raw}: one line (or multiline event) with where it came from, in ECS
 * names, as DESIGN.md shows.
 *
 * @param message  the raw line
 * @param path     {@code log.file.path}
 * @param offset   {@code log.offset}: byte offset of the line's first byte in the file
 * @param host     {@code host.name}
 * @param dataset  {@code event.dataset}, e.g. {@code apache.access}
 * @param created  {@code event.created}, ISO-8601 time the shipper read the line
 * @param service  {@code service.name}, may be null
 * @param source   {@code caravan.source}: the route (source) id
 * @param format   {@code caravan.format}: the parser spec, e.g. {@code combined}
 * @param fileId   {@code caravan.file_id}: the tailer's file identity
 * @param truncated the line was cut at the shipper's size limit: {@code log.flags: ["truncated"]}
 *                  (the name Filebeat uses, so dashboards that know it keep working)
 * @param id       {@code caravan.id}: a document id the source route named itself, or null
 */
public record Envelope(String message, String path, long offset, String host, String dataset, String created,
                       String service, String source, String format, String fileId, boolean truncated, String id) {

    private static final JsonFactory JSON = new JsonFactory();
    static final String TRUNCATED_FLAG = "truncated";

    public Envelope(String message, String path, long offset, String host, String dataset, String created,
                    String service, String source, String format, String fileId, boolean truncated) {
        this(message, path, offset, host, dataset, created, service, source, format, fileId, truncated, null);
    }

    /** An envelope for a whole line (the common case). */
    public Envelope(String message, String path, long offset, String host, String dataset, String created,
                    String service, String source, String format, String fileId) {
        this(message, path, offset, host, dataset, created, service, source, format, fileId, false);
    }

    /** The Kafka record key: host and file, so one file's lines stay in order on one partition. */
    public String key() {
        return host + ":" + path;
    }

    /**
     * The JSON bytes, byte for byte what Jackson's generator writes (EnvelopeJsonTest checks), by a
     * hand-written encoder: one runs per line shipped, and through a Jackson generator it was a
     * quarter of the shipper's CPU.
     */
    public byte[] toJson() {
        return SCRATCH.get().envelope(this);
    }

    /**
     * One writer per thread, its buffer kept between lines: each envelope then allocates only its
     * exact-size result, not a guessed buffer, its doublings and the final copy (about 2 KB a line).
     */
    private static final ThreadLocal<Writer> SCRATCH = ThreadLocal.withInitial(() -> new Writer(1024));

    private static final class Writer {
        private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
        private static final java.lang.invoke.VarHandle LONGS =
                java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
        private static final int KEEP_BYTES = 64 * 1024;
        private byte[] b;
        private int n;

        Writer(int capacity) {
            b = new byte[capacity];
        }

        byte[] envelope(Envelope e) {
            n = 0;
            raw("{\"message\":");
            str(e.message);
            raw(",\"log\":{\"file\":{\"path\":");
            str(e.path);
            raw("},\"offset\":");
            raw(Long.toString(e.offset));
            if (e.truncated) {
                raw(",\"flags\":[\"" + TRUNCATED_FLAG + "\"]");
            }
            raw("},\"host\":{\"name\":");
            str(e.host);
            raw("},\"event\":{\"dataset\":");
            str(e.dataset);
            raw(",\"created\":");
            str(e.created);
            if (e.service != null) {
                raw("},\"service\":{\"name\":");
                str(e.service);
            }
            raw("},\"caravan\":{\"source\":");
            str(e.source);
            raw(",\"format\":");
            str(e.format);
            raw(",\"file_id\":");
            str(e.fileId);
            if (e.id != null) {
                raw(",\"id\":");
                str(e.id);
            }
            raw("}}");
            byte[] json = java.util.Arrays.copyOf(b, n);
            if (b.length > KEEP_BYTES) {
                b = new byte[1024]; // a rare huge line does not stay pinned to the thread
            }
            return json;
        }

        private void ensure(int more) {
            if (n + more > b.length) {
                b = java.util.Arrays.copyOf(b, Math.max(b.length * 2, n + more));
            }
        }

        private void raw(String ascii) {
            ensure(ascii.length());
            for (int i = 0; i < ascii.length(); i++) {
                b[n++] = (byte) ascii.charAt(i);
            }
        }

        private void str(String s) {
            if (s == null) {
                raw("null");
                return;
            }
            // ASCII, the common case: String.getBytes is an intrinsic copy; then only the few
            // characters JSON escapes are looked for. getBytes turns a lone surrogate into '?', which
            // keeps the length: a '?' that is not one in the string sends it the slow way.
            byte[] a = s.getBytes(StandardCharsets.UTF_8);
            if (a.length == s.length()) {
                int start = n;
                ensure(a.length + 2);
                b[n++] = '"';
                int from = 0;
                boolean ascii = true;
                for (int i = 0; i < a.length; i++) {
                    // Eight bytes at a time while none of them needs a look (most of a log line).
                    while (i + 8 <= a.length && !special((long) LONGS.get(a, i))) {
                        i += 8;
                    }
                    if (i >= a.length) {
                        break;
                    }
                    byte c = a[i];
                    if (c < 0x20 || c == '"' || c == '\\' || c == '?') {
                        if (c == '?') {
                            if (s.charAt(i) == '?') {
                                continue;
                            }
                            ascii = false;
                            break;
                        }
                        ensure(i - from + 7); // escapes make the string longer than the room made for it
                        System.arraycopy(a, from, b, n, i - from);
                        n += i - from;
                        escape((char) c);
                        from = i + 1;
                    }
                }
                if (ascii) {
                    ensure(a.length - from + 1);
                    System.arraycopy(a, from, b, n, a.length - from);
                    n += a.length - from;
                    b[n++] = '"';
                    return;
                }
                n = start;
            }
            ensure(s.length() + 2);
            b[n++] = '"';
            for (int i = 0, len = s.length(); i < len; i++) {
                char c = s.charAt(i);
                if (c < 0x80) {
                    if (c >= 0x20 && c != '"' && c != '\\') {
                        if (n == b.length) {
                            ensure(len - i + 1);
                        }
                        b[n++] = (byte) c;
                    } else {
                        escape(c);
                    }
                } else if (c < 0x800) {
                    ensure(len - i + 2);
                    b[n++] = (byte) (0xC0 | c >> 6);
                    b[n++] = (byte) (0x80 | c & 0x3F);
                } else if (Character.isSurrogate(c)) {
                    escape(c); // as Jackson does: \\uD83D\\uDE00, not the 4-byte UTF-8 form
                } else {
                    ensure(len - i + 3);
                    b[n++] = (byte) (0xE0 | c >> 12);
                    b[n++] = (byte) (0x80 | c >> 6 & 0x3F);
                    b[n++] = (byte) (0x80 | c & 0x3F);
                }
            }
            ensure(1);
            b[n++] = '"';
        }

        /**
         * True if one of eight bytes (all below 0x80 here) is below 0x20, '"', '\\' or '?':
         * the word-at-a-time tests for a zero byte and for a byte below n.
         */
        private static boolean special(long w) {
            return ((((w - 0x2020202020202020L) & ~w)
                    | zero(w ^ 0x2222222222222222L) | zero(w ^ 0x5C5C5C5C5C5C5C5CL) | zero(w ^ 0x3F3F3F3F3F3F3F3FL))
                    & 0x8080808080808080L) != 0;
        }

        private static long zero(long v) {
            return (v - 0x0101010101010101L) & ~v;
        }

        private void escape(char c) {
            ensure(6 + 1);
            b[n++] = '\\';
            switch (c) {
                case '"' -> b[n++] = '"';
                case '\\' -> b[n++] = '\\';
                case '\b' -> b[n++] = 'b';
                case '\t' -> b[n++] = 't';
                case '\n' -> b[n++] = 'n';
                case '\f' -> b[n++] = 'f';
                case '\r' -> b[n++] = 'r';
                default -> {
                    b[n++] = 'u';
                    b[n++] = HEX[c >> 12];
                    b[n++] = HEX[c >> 8 & 0xF];
                    b[n++] = HEX[c >> 4 & 0xF];
                    b[n++] = HEX[c & 0xF];
                }
            }
        }
    }

    /**
     * Reads an envelope. Unknown members are skipped so that older indexers accept newer shippers.
     * Other shippers' Kafka JSON reads as one too: Filebeat's ({@code message}, {@code log.file.path},
     * {@code log.offset}, {@code host.name}, {@code agent.*}, {@code event.dataset}, and
     * {@code fields.format}/{@code fields.dataset}/{@code fields.service}) and Vector's
     * ({@code message}, {@code host}, {@code file}, {@code timestamp}).
     *
     * @throws IllegalArgumentException if the bytes are not an envelope (not JSON, or no message)
     */
    public static Envelope fromJson(byte[] json) {
        Envelope own = OwnEnvelopeReader.read(json); // Caravan's own shipper's records, the common case
        return own != null ? own : fromAnyJson(json);
    }

    /** {@link #fromJson} by a general JSON reader: any member order, other shippers' names. */
    static Envelope fromAnyJson(byte[] json) {
        String message = null, path = null, host = null, dataset = null, created = null, service = null,
                source = null, format = null, fileId = null, id = null;
        long offset = -1;
        boolean truncated = false;
        // Other shippers' names, used where Caravan's own are missing: host, file, time (Vector),
        // agent name, fields.format, fields.dataset, fields.service (Filebeat).
        String[] other = new String[7];
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("envelope is not a JSON object");
            }
            String[] stack = new String[8];
            int depth = 0;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken v = p.nextToken();
                    if (v == JsonToken.START_OBJECT) {
                        if (depth >= stack.length) {
                            p.skipChildren();
                        } else {
                            stack[depth++] = name;
                        }
                        continue;
                    }
                    if (v == JsonToken.START_ARRAY) {
                        if (depth == 1 && stack[0].equals("log") && name.equals("flags")) {
                            while ((v = p.nextToken()) != JsonToken.END_ARRAY && v != null) {
                                if (v == JsonToken.VALUE_STRING && TRUNCATED_FLAG.equals(p.getText())) {
                                    truncated = true;
                                } else {
                                    p.skipChildren();
                                }
                            }
                        } else {
                            p.skipChildren();
                        }
                        continue;
                    }
                    String parent = depth == 0 ? "" : stack[depth - 1];
                    String grand = depth < 2 ? "" : stack[depth - 2];
                    switch (parent) {
                        case "" -> {
                            // Caravan's and Filebeat's message; Vector's file source: host, file, timestamp.
                            switch (name) {
                                case "message" -> message = p.getValueAsString();
                                case "host" -> other[0] = p.getValueAsString();
                                case "file" -> other[1] = p.getValueAsString();
                                case "@timestamp", "timestamp" -> other[2] = p.getValueAsString();
                                default -> { }
                            }
                        }
                        case "file" -> { if (grand.equals("log") && name.equals("path")) { path = p.getValueAsString(); } }
                        case "log" -> { if (name.equals("offset")) { offset = p.getValueAsLong(-1); } }
                        case "host" -> { if (name.equals("name")) { host = p.getValueAsString(); } }
                        case "agent" -> { if (name.equals("name") || name.equals("hostname")) { other[3] = p.getValueAsString(); } }
                        case "event" -> {
                            if (name.equals("dataset")) {
                                dataset = p.getValueAsString();
                            } else if (name.equals("created")) {
                                created = p.getValueAsString();
                            }
                        }
                        case "service" -> { if (name.equals("name")) { service = p.getValueAsString(); } }
                        case "fields" -> {
                            // Filebeat's custom fields (fields_under_root: false): how to read the line.
                            switch (name) {
                                case "format" -> other[4] = p.getValueAsString();
                                case "dataset" -> other[5] = p.getValueAsString();
                                case "service" -> other[6] = p.getValueAsString();
                                default -> { }
                            }
                        }
                        case "caravan" -> {
                            switch (name) {
                                case "source" -> source = p.getValueAsString();
                                case "format" -> format = p.getValueAsString();
                                case "file_id" -> fileId = p.getValueAsString();
                                case "id" -> id = p.getValueAsString();
                                default -> { }
                            }
                        }
                        default -> { }
                    }
                } else if (t == JsonToken.END_OBJECT) {
                    if (depth == 0) {
                        break;
                    }
                    depth--;
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("envelope is not valid JSON: " + e.getMessage(), e);
        }
        if (message == null) {
            throw new IllegalArgumentException("envelope has no message");
        }
        host = host != null ? host : other[0] != null ? other[0] : other[3];
        path = path != null ? path : other[1];
        created = created != null ? created : other[2];
        format = format != null ? format : other[4];
        dataset = dataset != null ? dataset : other[5];
        service = service != null ? service : other[6];
        return new Envelope(message, path, offset, host, dataset, created, service, source, format, fileId, truncated, id);
    }
}
