package caravan.event;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Writes a {@link LogEvent} as the Elasticsearch document, nesting dotted ECS names into objects.
 *
 * <p>Straight to UTF-8 bytes in a buffer reused document after document, rather than through a
 * tree or a generic generator: the document is what the bulk request sends. Fields are sorted by
 * name so that every object's members are contiguous; a name that is both a value and a parent
 * ({@code a} and {@code a.b}, possible with user JSON) keeps both, the value under {@code a._value}.
 *
 * <p>Events of one source have the same field names event after event, so everything that depends
 * only on the names (the sort, which objects to close and open, the names' escaped bytes, the
 * commas) is worked out once per set of names, a {@link Layout}, kept in a small cache: per event
 * the writer copies one run of bytes per field and writes the value. Typed numbers and the
 * timestamp are written without boxing or an intermediate string.
 *
 * <p>Not thread-safe (it reuses its buffers); use one per thread.
 */
public final class EcsJsonWriter {
    /** Layouts kept per writer: the name lists of the sources and enrichers one thread sees. */
    private static final int LAYOUTS = 512;
    private static final int PROBES = 8;
    private static final int MAX_NESTING = 20;
    private static final long DAY_MILLIS = 86_400_000L;
    /** Markers in {@link #values}: the value is the long in {@link #numbers} at the same index. */
    private static final Object NUMBER = new Object();
    private static final Object TIMESTAMP = new Object();
    private static final byte[] ZONE_END = "Z\"".getBytes(StandardCharsets.US_ASCII);

    private String[] names = new String[48];
    private Object[] values = new Object[48];
    private long[] numbers = new long[48];
    private int count;
    private final Layout[] layouts = new Layout[LAYOUTS];
    private final JsonBytes out = new JsonBytes(2048);
    private static final int CACHED_STRING_LENGTH = 32;
    private static final int STRINGS = 256;
    private final String[] stringKeys = new String[STRINGS];
    private final byte[][] stringBytes = new byte[STRINGS][];
    private final long[] doubleKeys = new long[64];
    private final byte[][] doubleBytes = new byte[64][];
    private final BiConsumer<String, Object> addField = this::add;
    /** The day of the last timestamp and its {@code "YYYY-MM-DDT} bytes (null outside years 0-9999). */
    private long day = Long.MIN_VALUE;
    private byte[] dayPrefix;

    public byte[] write(LogEvent event) {
        collect(event);
        Layout layout = layout();
        out.reset();
        out.raw((byte) '{');
        for (int k = 0; k < layout.field.length; k++) {
            out.raw(layout.prefix[k]);
            int i = layout.field[k];
            Object v = values[i];
            if (v instanceof String s) {
                string(s);
            } else if (v == NUMBER) {
                out.number(numbers[i]);
            } else if (v == TIMESTAMP) {
                timestamp(numbers[i]);
            } else {
                value(v, 0);
            }
        }
        out.raw(layout.suffix);
        return out.toByteArray();
    }

    private void collect(LogEvent e) {
        count = 0;
        if (e.timestampMillis != LogEvent.ABSENT) {
            add("@timestamp", TIMESTAMP, e.timestampMillis);
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
            add("http.response.status_code", NUMBER, e.statusCode);
        }
        if (e.bodyBytes != LogEvent.ABSENT) {
            add("http.response.body.bytes", NUMBER, e.bodyBytes);
        }
        if (e.durationNanos != LogEvent.ABSENT) {
            add("event.duration", NUMBER, e.durationNanos);
        }
        add("log.level", e.logLevel);
        add("related.ip", e.relatedIp);
        e.fields().forEach(addField); // no iterator, unlike a loop over entrySet()
    }

    private void add(String name, Object value) {
        if (value != null) {
            add(name, value, 0);
        }
    }

    private void add(String name, Object value, long number) {
        if (count == names.length) {
            names = Arrays.copyOf(names, count * 2);
            values = Arrays.copyOf(values, count * 2);
            numbers = Arrays.copyOf(numbers, count * 2);
        }
        names[count] = name;
        numbers[count] = number;
        values[count++] = value;
    }

    /**
     * The cached layout of this event's names, or a new one. Open addressing over a few neighbouring
     * slots: a log's sources and enrichers make dozens of name lists (with or without GeoIP, a query
     * string, a bot name ...), and a direct-mapped table rebuilt layouts on every collision.
     */
    private Layout layout() {
        int h = count;
        for (int i = 0; i < count; i++) {
            h = 31 * h + names[i].hashCode();
        }
        int slot = (h ^ h >>> 16) & (LAYOUTS - 1);
        for (int probe = 0; probe < PROBES; probe++) {
            Layout l = layouts[(slot + probe) & (LAYOUTS - 1)];
            if (l == null) {
                return layouts[(slot + probe) & (LAYOUTS - 1)] = Layout.of(Arrays.copyOf(names, count), h);
            }
            if (l.hash == h && l.matches(names, count)) {
                return l;
            }
        }
        return layouts[slot] = Layout.of(Arrays.copyOf(names, count), h); // neighbourhood full: replace
    }

    /** ISO-8601 in UTC with milliseconds, as {@link Timestamps#iso}; the date part is kept per day. */
    private void timestamp(long millis) {
        long d = Math.floorDiv(millis, DAY_MILLIS);
        if (d != day) {
            String iso = Timestamps.iso(d * DAY_MILLIS);
            day = d;
            dayPrefix = iso.length() == 24 && iso.charAt(10) == 'T'
                    ? ('"' + iso.substring(0, 11)).getBytes(StandardCharsets.US_ASCII) : null;
        }
        if (dayPrefix == null) {
            out.string(Timestamps.iso(millis));
            return;
        }
        int ms = (int) Math.floorMod(millis, DAY_MILLIS);
        out.raw(dayPrefix);
        out.digits(ms / 3_600_000, 2);
        out.raw((byte) ':');
        out.digits(ms / 60_000 % 60, 2);
        out.raw((byte) ':');
        out.digits(ms / 1000 % 60, 2);
        out.raw((byte) '.');
        out.digits(ms % 1000, 3);
        out.raw(ZONE_END);
    }

    /**
     * A string value. Short ones repeat from event to event (methods, versions, the enrichers'
     * names of countries, browsers and bots, the same String objects from their caches), so their
     * encoded bytes are kept in a small table by content; long ones (the message, the URL) are
     * encoded each time.
     */
    private void string(String s) {
        if (s.length() > CACHED_STRING_LENGTH) {
            out.string(s);
            return;
        }
        int h = s.hashCode();
        int slot = (h ^ h >>> 16) & (STRINGS - 1);
        String known = stringKeys[slot];
        if (known == s || s.equals(known)) {
            out.raw(stringBytes[slot]);
            return;
        }
        int from = out.size();
        out.string(s);
        stringKeys[slot] = s;
        stringBytes[slot] = out.copyFrom(from);
    }

    /** A double value: coordinates repeat (one city, many requests), and Double.toString is dear. */
    private void number(double d) {
        long bits = Double.doubleToRawLongBits(d);
        int slot = (int) (bits ^ bits >>> 32) * 0x9E3779B9 >>> 26; // 64 slots
        if (doubleKeys[slot] == bits && doubleBytes[slot] != null) {
            out.raw(doubleBytes[slot]);
            return;
        }
        int from = out.size();
        out.number(d);
        doubleKeys[slot] = bits;
        doubleBytes[slot] = out.copyFrom(from);
    }

    private void value(Object v, int nesting) {
        if (v instanceof String s) {
            string(s);
        } else if (v instanceof Integer || v instanceof Long) {
            out.number(((Number) v).longValue());
        } else if (v instanceof Double d) {
            number(d.doubleValue());
        } else if (v instanceof Float f) {
            out.number(f.floatValue());
        } else if (v instanceof Number n) {
            out.number(n);
        } else if (v instanceof Boolean b) {
            out.bool(b);
        } else if (v instanceof Map<?, ?> m && nesting < MAX_NESTING) {
            out.raw((byte) '{');
            boolean first = true;
            for (Map.Entry<?, ?> en : m.entrySet()) {
                if (!first) {
                    out.raw((byte) ',');
                }
                first = false;
                out.string(String.valueOf(en.getKey()));
                out.raw((byte) ':');
                value(en.getValue(), nesting + 1);
            }
            out.raw((byte) '}');
        } else if (v instanceof Collection<?> c && nesting < MAX_NESTING) {
            out.raw((byte) '[');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    out.raw((byte) ',');
                }
                first = false;
                value(o, nesting + 1);
            }
            out.raw((byte) ']');
        } else if (v == null) {
            out.ascii("null");
        } else {
            out.string(String.valueOf(v));
        }
    }

    /** {@code candidate} is {@code parent + "." + something}, without building that string. */
    static boolean isChild(String candidate, String parent) {
        return candidate.length() > parent.length() + 1 && candidate.charAt(parent.length()) == '.'
                && candidate.startsWith(parent);
    }

    /**
     * How to write the documents of one list of field names: for each field, in name order, the
     * bytes that go before its value (commas, closing braces, the objects it opens, its own name,
     * and {@code {"_value":} when it is itself a parent), and the closing bytes at the end.
     */
    static final class Layout {
        private static final byte[] VALUE = JsonBytes.name("_value");
        private static final int MAX_DEPTH = 32;

        final int hash;
        private final String[] names;
        final int[] field;
        final byte[][] prefix;
        final byte[] suffix;

        private Layout(String[] names, int hash, int[] field, byte[][] prefix, byte[] suffix) {
            this.names = names;
            this.hash = hash;
            this.field = field;
            this.prefix = prefix;
            this.suffix = suffix;
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
            byte[][] prefix = new byte[n][];
            String[] opened = new String[MAX_DEPTH];
            int depth = 0;
            boolean comma = false; // a member was written at the current depth
            JsonBytes b = new JsonBytes(64);
            for (int k = 0; k < n; k++) {
                b.reset();
                String name = names[order[k]];
                String[] parts = split(name);
                boolean isParent = k + 1 < n && isChild(names[order[k + 1]], name);
                int common = 0;
                while (common < depth && common < parts.length - 1 && opened[common].equals(parts[common])) {
                    common++;
                }
                for (; depth > common; depth--) {
                    b.raw((byte) '}');
                    comma = true;
                }
                int opens = Math.max(0, Math.min(parts.length - 1, MAX_DEPTH) - depth);
                for (int o = 0; o < opens; o++) {
                    member(b, comma, parts[depth]);
                    b.raw((byte) '{');
                    comma = false;
                    opened[depth] = parts[depth];
                    depth++;
                }
                String last = parts[parts.length - 1];
                member(b, comma, last);
                if (isParent && depth < MAX_DEPTH) {
                    b.raw((byte) '{');
                    b.raw(VALUE);
                    opened[depth++] = last;
                }
                comma = true; // the value follows
                prefix[k] = b.toByteArray();
            }
            b.reset();
            for (; depth >= 0; depth--) {
                b.raw((byte) '}');
            }
            return new Layout(names, hash, order, prefix, b.toByteArray());
        }

        private static void member(JsonBytes b, boolean comma, String name) {
            if (comma) {
                b.raw((byte) ',');
            }
            b.raw(JsonBytes.name(name));
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
}
