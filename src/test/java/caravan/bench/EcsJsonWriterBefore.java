package caravan.bench;

import caravan.event.LogEvent;
import caravan.event.Timestamps;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The document writer as it was before issue 14 (a generator per document, names sorted and split per
 * document), kept as the benchmarks' reference for the JSON step. Not used by the product.
 *
 * Writes a {@link LogEvent} as the Elasticsearch document, nesting dotted ECS names into objects.
 *
 * <p>Streaming with Jackson's generator rather than building a tree: the document is written once,
 * straight to bytes, which is what the bulk request sends. Fields are sorted by name so that every
 * object's members are contiguous; a name that is both a value and a parent ({@code a} and
 * {@code a.b}, possible with user JSON) keeps both, the value under {@code a._value}.
 *
 * <p>Not thread-safe (it reuses its buffers); use one per thread.
 */
final class EcsJsonWriterBefore {
    private static final JsonFactory JSON = new JsonFactory();

    private final List<String> names = new ArrayList<>(48);
    private final List<Object> values = new ArrayList<>(48);
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
    private final String[] open = new String[32];

    public byte[] write(LogEvent event) {
        collect(event);
        buffer.reset();
        try (JsonGenerator gen = JSON.createGenerator(buffer)) {
            gen.writeStartObject();
            int depth = 0;
            int[] order = sortedOrder();
            for (int k = 0; k < order.length; k++) {
                int i = order[k];
                String name = names.get(i);
                String[] parts = split(name);
                boolean isParent = k + 1 < order.length && isChild(names.get(order[k + 1]), name);
                int common = 0;
                while (common < depth && common < parts.length - 1 && open[common].equals(parts[common])) {
                    common++;
                }
                for (; depth > common; depth--) {
                    gen.writeEndObject();
                }
                for (int p = depth; p < parts.length - 1 && p < open.length; p++) {
                    gen.writeObjectFieldStart(parts[p]);
                    open[p] = parts[p];
                    depth++;
                }
                String leaf = parts[parts.length - 1];
                if (isParent) {
                    gen.writeObjectFieldStart(leaf);
                    open[depth++] = leaf;
                    gen.writeFieldName("_value");
                } else {
                    gen.writeFieldName(leaf);
                }
                writeValue(gen, values.get(i), 0);
            }
            for (; depth > 0; depth--) {
                gen.writeEndObject();
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array never fails to grow
        }
        return buffer.toByteArray();
    }

    private void collect(LogEvent e) {
        names.clear();
        values.clear();
        if (e.timestampMillis != LogEvent.ABSENT) {
            add("@timestamp", Timestamps.iso(e.timestampMillis));
        }
        add("message", e.message);
        add("source.ip", e.sourceIp);
        add("user.name", e.userName);
        add("http.request.method", e.method);
        add("url.original", e.urlOriginal);
        add("url.path", e.urlPath);
        add("url.query", e.urlQuery);
        add("url.extension", e.urlExtension);
        add("http.version", e.httpVersion);
        add("http.request.referrer", e.referrer);
        add("user_agent.original", e.userAgent);
        if (e.statusCode >= 0) {
            add("http.response.status_code", e.statusCode);
        }
        if (e.bodyBytes != LogEvent.ABSENT) {
            add("http.response.body.bytes", e.bodyBytes);
        }
        if (e.durationNanos != LogEvent.ABSENT) {
            add("event.duration", e.durationNanos);
        }
        add("log.level", e.logLevel);
        add("related.ip", e.relatedIp);
        for (Map.Entry<String, Object> f : e.fields().entrySet()) {
            add(f.getKey(), f.getValue());
        }
    }

    private void add(String name, Object value) {
        if (value != null) {
            names.add(name);
            values.add(value);
        }
    }

    /**
     * Field indices in name order. An insertion sort: an event has a few dozen fields, and it is
     * stable, so for a duplicate name the later value (an enricher's) follows and is kept by ES.
     */
    private int[] sortedOrder() {
        int n = names.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            int j = i;
            String name = names.get(i);
            while (j > 0 && names.get(order[j - 1]).compareTo(name) > 0) {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        return order;
    }

    /** {@code candidate} is {@code parent + "." + something}, without building that string. */
    static boolean isChild(String candidate, String parent) {
        return candidate.length() > parent.length() + 1 && candidate.charAt(parent.length()) == '.'
                && candidate.startsWith(parent);
    }

    /** Field names repeat from event to event: their split form is kept, up to a bound for odd JSON. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String[]> SPLITS =
            new java.util.concurrent.ConcurrentHashMap<>();
    private static final int MAX_SPLITS = 10_000;

    private static String[] split(String dotted) {
        String[] cached = SPLITS.get(dotted);
        if (cached != null) {
            return cached;
        }
        String[] parts = splitNow(dotted);
        if (SPLITS.size() < MAX_SPLITS) {
            SPLITS.put(dotted, parts);
        }
        return parts;
    }

    private static String[] splitNow(String dotted) {
        int dots = 0;
        for (int i = 0; i < dotted.length(); i++) {
            if (dotted.charAt(i) == '.') {
                dots++;
            }
        }
        if (dots == 0 || dotted.equals("@timestamp")) {
            return new String[] {dotted};
        }
        String[] parts = new String[dots + 1];
        int start = 0;
        int p = 0;
        for (int i = 0; i < dotted.length(); i++) {
            if (dotted.charAt(i) == '.') {
                parts[p++] = dotted.substring(start, i);
                start = i + 1;
            }
        }
        parts[p] = dotted.substring(start);
        return parts;
    }

    private static final int MAX_NESTING = 20;

    private static void writeValue(JsonGenerator gen, Object v, int nesting) throws IOException {
        if (v instanceof String s) {
            gen.writeString(s);
        } else if (v instanceof Integer i) {
            gen.writeNumber(i);
        } else if (v instanceof Long l) {
            gen.writeNumber(l);
        } else if (v instanceof Double d) {
            gen.writeNumber(d);
        } else if (v instanceof Float f) {
            gen.writeNumber(f);
        } else if (v instanceof Number n) {
            gen.writeNumber(n.toString());
        } else if (v instanceof Boolean b) {
            gen.writeBoolean(b);
        } else if (v instanceof Map<?, ?> m && nesting < MAX_NESTING) {
            gen.writeStartObject();
            for (Map.Entry<?, ?> en : m.entrySet()) {
                gen.writeFieldName(String.valueOf(en.getKey()));
                writeValue(gen, en.getValue(), nesting + 1);
            }
            gen.writeEndObject();
        } else if (v instanceof Collection<?> c && nesting < MAX_NESTING) {
            gen.writeStartArray();
            for (Object o : c) {
                writeValue(gen, o, nesting + 1);
            }
            gen.writeEndArray();
        } else if (v == null) {
            gen.writeNull();
        } else {
            gen.writeString(String.valueOf(v));
        }
    }
}
