package caravan.index;

import caravan.event.Envelope;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The topics an indexer reads and how to read each one's records.
 *
 * <p>{@code caravan.index.topics} lists topics besides {@code logs-raw}, each with the format of its
 * lines: {@code filebeat:combined, vector-app:app, plain:json}. A record there is an envelope
 * (Caravan's, or Filebeat's or Vector's Kafka JSON, see {@link Envelope#fromJson}), and when it names
 * no format itself it is read with its topic's. A record that is not a JSON object is one plain line
 * of its topic's format; on a topic whose format is {@code json} every record is such a line (an
 * application's JSON log), never an envelope.
 */
public final class TopicFormats {
    private final Map<String, String> formats;

    private TopicFormats(Map<String, String> formats) {
        this.formats = formats;
    }

    /** No extra topics: only Caravan's own envelopes on {@code logs-raw}. */
    public static final TopicFormats NONE = new TopicFormats(Map.of());

    /**
     * @param setting {@code caravan.index.topics}: comma-separated {@code topic:format}
     * @throws IllegalArgumentException naming the key and the entry that is not {@code topic:format}
     */
    public static TopicFormats parse(String setting) {
        Map<String, String> m = new LinkedHashMap<>();
        if (setting != null) {
            for (String raw : setting.split(",")) {
                String e = raw.trim();
                if (e.isEmpty()) {
                    continue;
                }
                int colon = e.indexOf(':');
                String topic = colon < 0 ? e : e.substring(0, colon).trim();
                String format = colon < 0 ? "" : e.substring(colon + 1).trim();
                if (topic.isEmpty() || format.isEmpty() || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
                    throw new IllegalArgumentException("caravan.index.topics: '" + e + "' must be topic:format,"
                            + " e.g. filebeat:combined (a Kafka topic name, then the format of its lines)");
                }
                m.put(topic, format);
            }
        }
        return new TopicFormats(Map.copyOf(m));
    }

    /** The extra topics, in the order given. */
    public Iterable<String> topics() {
        return formats.keySet();
    }

    /** The format of a topic's lines, or null for {@code logs-raw} and unknown topics. */
    public String formatOf(String topic) {
        return topic == null ? null : formats.get(topic);
    }

    /**
     * The envelope of a record.
     *
     * @throws IllegalArgumentException why the record is not one (not JSON on a topic with no format,
     *                                  no message)
     */
    public Envelope envelope(String topic, byte[] value) {
        String format = formatOf(topic);
        Envelope env;
        if (format != null && (format.equals("json") || format.startsWith("json[") || !isObject(value))) {
            env = new Envelope(new String(value, StandardCharsets.UTF_8), null, -1, null, null, null, null, topic,
                    format, null);
        } else {
            env = Envelope.fromJson(value);
        }
        if (env.format() == null && format != null) {
            env = new Envelope(env.message(), env.path(), env.offset(), env.host(), env.dataset(), env.created(),
                    env.service(), env.source() != null ? env.source() : topic, format, env.fileId(), env.truncated(),
                    env.id());
        }
        return env;
    }

    private static boolean isObject(byte[] value) {
        for (byte b : value) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return b == '{';
            }
        }
        return false;
    }
}
