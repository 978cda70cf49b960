package caravan.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

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
     * The JSON bytes, byte for byte what Jackson's generator writes, by a hand-written encoder
     * ({@link EnvelopeWriter}): one runs per line shipped.
     */
    public byte[] toJson() {
        return SCRATCH.get().write(this);
    }

    /**
     * Envelopes {@code [from, to)} of {@code group} as one record's value: their JSON one per line
     * (newline-delimited; JSON escapes every newline inside a string, so a newline always ends an
     * envelope). The record then carries {@link #LINES_HEADER}.
     */
    public static byte[] toJsonLines(java.util.List<Envelope> group, int from, int to) {
        return SCRATCH.get().writeLines(group, from, to);
    }

    /**
     * Envelopes {@code [from, to)} of {@code group}, all of one file and without ids, as one record's
     * value that leaves their file's fields to the record's {@link #FILE_HEADER}: per line only the
     * message, the offset and the truncated flag ({@code {"message":...,"log":{"offset":...}}}). An
     * envelope weighs about 560 bytes on the corpus, 320 of them the file's fields.
     */
    public static byte[] toShortLines(java.util.List<Envelope> group, int from, int to) {
        return SCRATCH.get().writeShortLines(group, from, to);
    }

    /** The {@link #FILE_HEADER} value of {@code e}'s file: its envelope without message, offset, flags and id. */
    public static byte[] fileFieldsJson(Envelope e) {
        return SCRATCH.get().fileFields(e);
    }

    /**
     * The Kafka header of a record whose lines ({@link #toShortLines}) leave the file's fields to it:
     * those fields as JSON, {@code {"log":{"file":{"path":...}},"host":{...},...}}. Caravan's indexer
     * makes each line a whole envelope again ({@link FileFieldsHeader}), so what it parses, indexes,
     * dead-letters and replays is the envelope alone.
     */
    public static final String FILE_HEADER = "caravan.file";

    /**
     * The envelopes of a record's value, each its own bytes: one per non-empty line, so a value of
     * one envelope gives itself. JSON escapes every newline inside a string, so a newline byte always
     * ends an envelope.
     */
    public static java.util.List<byte[]> lines(byte[] value) {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (int from = 0; from < value.length; ) {
            int nl = from;
            while (nl < value.length && value[nl] != '\n') {
                nl++;
            }
            if (nl > from) {
                out.add(java.util.Arrays.copyOfRange(value, from, nl));
            }
            from = nl + 1;
        }
        return out;
    }

    /**
     * Every envelope of a record, read: its value's lines, made whole by its {@link #FILE_HEADER}'s
     * value {@code fileFields} where it has one (null: the lines are whole envelopes).
     */
    public static java.util.List<Envelope> allFromRecord(byte[] value, byte[] fileFields) {
        if (fileFields == null) {
            return allFromJson(value);
        }
        FileFieldsHeader file = FileFieldsHeader.read(fileFields);
        java.util.List<Envelope> all = new java.util.ArrayList<>();
        for (byte[] line : lines(value)) {
            all.add(fromJson(file.envelope(line, 0, line.length)));
        }
        return all;
    }

    /** Every envelope of a record's value ({@link #lines}), read. */
    public static java.util.List<Envelope> allFromJson(byte[] value) {
        java.util.List<Envelope> all = new java.util.ArrayList<>();
        for (byte[] line : lines(value)) {
            all.add(fromJson(line));
        }
        return all;
    }

    /**
     * The Kafka header of a record that holds several envelopes, one per line of its value: their
     * number, in decimal. A record without it holds one envelope (and other shippers' records never
     * have it).
     */
    public static final String LINES_HEADER = "caravan.lines";

    /**
     * One writer per thread, its buffer kept between lines: each envelope then allocates only its
     * exact-size result, not a guessed buffer, its doublings and the final copy (about 2 KB a line).
     */
    private static final ThreadLocal<EnvelopeWriter> SCRATCH = ThreadLocal.withInitial(() -> new EnvelopeWriter(1024));

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
