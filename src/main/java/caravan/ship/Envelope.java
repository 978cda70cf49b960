package caravan.ship;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;

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
 */
public record Envelope(String message, String path, long offset, String host, String dataset, String created,
                       String service, String source, String format, String fileId, boolean truncated) {

    private static final JsonFactory JSON = new JsonFactory();
    static final String TRUNCATED_FLAG = "truncated";

    /** An envelope for a whole line (the common case). */
    public Envelope(String message, String path, long offset, String host, String dataset, String created,
                    String service, String source, String format, String fileId) {
        this(message, path, offset, host, dataset, created, service, source, format, fileId, false);
    }

    /** The Kafka record key: host and file, so one file's lines stay in order on one partition. */
    public String key() {
        return host + ":" + path;
    }

    public byte[] toJson() {
        ByteArrayBuilder out = new ByteArrayBuilder(256 + (message == null ? 0 : message.length()));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("message", message);
            g.writeObjectFieldStart("log");
            g.writeObjectFieldStart("file");
            g.writeStringField("path", path);
            g.writeEndObject();
            g.writeNumberField("offset", offset);
            if (truncated) {
                g.writeArrayFieldStart("flags");
                g.writeString(TRUNCATED_FLAG);
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("host");
            g.writeStringField("name", host);
            g.writeEndObject();
            g.writeObjectFieldStart("event");
            g.writeStringField("dataset", dataset);
            g.writeStringField("created", created);
            g.writeEndObject();
            if (service != null) {
                g.writeObjectFieldStart("service");
                g.writeStringField("name", service);
                g.writeEndObject();
            }
            g.writeObjectFieldStart("caravan");
            g.writeStringField("source", source);
            g.writeStringField("format", format);
            g.writeStringField("file_id", fileId);
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads an envelope. Unknown members are skipped so that older indexers accept newer shippers.
     *
     * @throws IllegalArgumentException if the bytes are not an envelope (not JSON, or no message)
     */
    public static Envelope fromJson(byte[] json) {
        String message = null, path = null, host = null, dataset = null, created = null, service = null,
                source = null, format = null, fileId = null;
        long offset = -1;
        boolean truncated = false;
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
                        case "" -> { if (name.equals("message")) { message = p.getValueAsString(); } }
                        case "file" -> { if (grand.equals("log") && name.equals("path")) { path = p.getValueAsString(); } }
                        case "log" -> { if (name.equals("offset")) { offset = p.getValueAsLong(-1); } }
                        case "host" -> { if (name.equals("name")) { host = p.getValueAsString(); } }
                        case "event" -> {
                            if (name.equals("dataset")) {
                                dataset = p.getValueAsString();
                            } else if (name.equals("created")) {
                                created = p.getValueAsString();
                            }
                        }
                        case "service" -> { if (name.equals("name")) { service = p.getValueAsString(); } }
                        case "caravan" -> {
                            switch (name) {
                                case "source" -> source = p.getValueAsString();
                                case "format" -> format = p.getValueAsString();
                                case "file_id" -> fileId = p.getValueAsString();
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
        return new Envelope(message, path, offset, host, dataset, created, service, source, format, fileId, truncated);
    }
}
