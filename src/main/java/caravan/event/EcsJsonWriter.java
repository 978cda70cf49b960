package caravan.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Map;

/**
 * Writes a {@link LogEvent} as the Elasticsearch document, nesting dotted ECS names into objects.
 *
 * <p>Streaming with one reused Jackson generator rather than building a tree: the document is
 * written once, straight to bytes, which is what the bulk request sends. Fields are sorted by name
 * so that every object's members are contiguous; a name that is both a value and a parent
 * ({@code a} and {@code a.b}, possible with user JSON) keeps both, the value under {@code a._value}.
 *
 * <p>Events of one source have the same field names event after event, so the work that depends
 * only on the names (sorting, splitting, which objects to open and close, the names' UTF-8 bytes)
 * is done once per set of names, a {@link Layout}, and kept in a small cache: per event only the
 * values are written.
 *
 * <p>Not thread-safe (it reuses its buffers and generator); use one per thread.
 */
public final class EcsJsonWriter {
    private static final JsonFactory JSON = new JsonFactory();
    /** Layouts kept per writer: sources with different field sets on one thread (direct-mapped). */
    private static final int LAYOUTS = 64;

    private String[] names = new String[48];
    private Object[] values = new Object[48];
    private int count;
    private final Layout[] layouts = new Layout[LAYOUTS];
    private final ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
    private JsonGenerator gen;

    public byte[] write(LogEvent event) {
        collect(event);
        Layout layout = layout();
        buffer.reset();
        try {
            if (gen == null) {
                gen = JSON.createGenerator(buffer);
                gen.setRootValueSeparator(null);
            }
            layout.write(gen, values);
            gen.flush();
        } catch (IOException | RuntimeException e) {
            gen = null; // a generator that failed half-way is in an unknown state: a new one next time
            if (e instanceof IOException io) {
                throw new UncheckedIOException(io); // a byte array never fails to grow
            }
            throw (RuntimeException) e;
        }
        return buffer.toByteArray();
    }

    private void collect(LogEvent e) {
        count = 0;
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
        for (Map.Entry<String, Object> f : e.fields().entrySet()) {
            add(f.getKey(), f.getValue());
        }
    }

    private void add(String name, Object value) {
        if (value != null) {
            if (count == names.length) {
                names = java.util.Arrays.copyOf(names, count * 2);
                values = java.util.Arrays.copyOf(values, count * 2);
            }
            names[count] = name;
            values[count++] = value;
        }
    }

    /** The cached layout of this event's names, or a new one. */
    private Layout layout() {
        int h = count;
        for (int i = 0; i < count; i++) {
            h = 31 * h + names[i].hashCode();
        }
        int slot = (h ^ h >>> 16) & (LAYOUTS - 1);
        Layout l = layouts[slot];
        if (l == null || l.hash != h || !l.matches(names, count)) {
            l = Layout.of(java.util.Arrays.copyOf(names, count), h);
            layouts[slot] = l;
        }
        return l;
    }

    /** {@code candidate} is {@code parent + "." + something}, without building that string. */
    static boolean isChild(String candidate, String parent) {
        return candidate.length() > parent.length() + 1 && candidate.charAt(parent.length()) == '.'
                && candidate.startsWith(parent);
    }

    /**
     * How to write the documents of one list of field names: for each step (a field, in name order)
     * the objects to close, the objects to open, the leaf name, and whether the leaf is itself a
     * parent (then its value goes under {@code _value}).
     */
    static final class Layout {
        private static final SerializedString VALUE = new SerializedString("_value");
        private static final int MAX_DEPTH = 32;

        final int hash;
        private final String[] names;
        private final int[] field;
        private final int[] close;
        private final SerializedString[][] open;
        private final SerializedString[] leaf;
        private final boolean[] parent;
        private final int closeAtEnd;

        private Layout(String[] names, int hash, int[] field, int[] close, SerializedString[][] open,
                       SerializedString[] leaf, boolean[] parent, int closeAtEnd) {
            this.names = names;
            this.hash = hash;
            this.field = field;
            this.close = close;
            this.open = open;
            this.leaf = leaf;
            this.parent = parent;
            this.closeAtEnd = closeAtEnd;
        }

        boolean matches(String[] other, int n) {
            if (n != names.length) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (names[i] != other[i] && !names[i].equals(other[i])) {
                    return false;
                }
            }
            return true;
        }

        static Layout of(String[] names, int hash) {
            int n = names.length;
            int[] order = sortedOrder(names);
            int[] close = new int[n];
            SerializedString[][] open = new SerializedString[n][];
            SerializedString[] leaf = new SerializedString[n];
            boolean[] parent = new boolean[n];
            String[] opened = new String[MAX_DEPTH];
            int depth = 0;
            for (int k = 0; k < n; k++) {
                String name = names[order[k]];
                String[] parts = split(name);
                boolean isParent = k + 1 < n && isChild(names[order[k + 1]], name);
                int common = 0;
                while (common < depth && common < parts.length - 1 && opened[common].equals(parts[common])) {
                    common++;
                }
                close[k] = depth - common;
                depth = common;
                int opens = Math.max(0, Math.min(parts.length - 1, MAX_DEPTH) - depth);
                open[k] = new SerializedString[opens];
                for (int o = 0; o < opens; o++) {
                    opened[depth] = parts[depth];
                    open[k][o] = new SerializedString(parts[depth]);
                    depth++;
                }
                String last = parts[parts.length - 1];
                leaf[k] = new SerializedString(last);
                if (isParent && depth < MAX_DEPTH) {
                    parent[k] = true;
                    opened[depth++] = last;
                }
            }
            return new Layout(names, hash, order, close, open, leaf, parent, depth);
        }

        void write(JsonGenerator gen, Object[] values) throws IOException {
            gen.writeStartObject();
            for (int k = 0; k < field.length; k++) {
                for (int c = close[k]; c > 0; c--) {
                    gen.writeEndObject();
                }
                for (SerializedString o : open[k]) {
                    gen.writeFieldName(o);
                    gen.writeStartObject();
                }
                gen.writeFieldName(leaf[k]);
                if (parent[k]) {
                    gen.writeStartObject();
                    gen.writeFieldName(VALUE);
                }
                writeValue(gen, values[field[k]], 0);
            }
            for (int c = closeAtEnd; c > 0; c--) {
                gen.writeEndObject();
            }
            gen.writeEndObject();
        }

        /**
         * Field indices in name order. An insertion sort: an event has a few dozen fields, and it is
         * stable, so for a duplicate name the later value (an enricher's) follows and is kept by ES.
         */
        private static int[] sortedOrder(String[] names) {
            int n = names.length;
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                int j = i;
                String name = names[i];
                while (j > 0 && names[order[j - 1]].compareTo(name) > 0) {
                    order[j] = order[j - 1];
                    j--;
                }
                order[j] = i;
            }
            return order;
        }

        private static String[] split(String dotted) {
            if (dotted.indexOf('.') < 0 || dotted.equals("@timestamp")) {
                return new String[] {dotted};
            }
            return dotted.split("\\.", -1);
        }
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
