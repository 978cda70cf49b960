package caravan.event;

import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

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
 * commas) is worked out once per set of names, a {@link DocumentLayout}, kept in a small cache: per
 * event the writer copies one run of bytes per field and writes the value, read from the event's
 * typed members and its field map's arrays as they are (nothing is collected or copied first).
 * Typed numbers and the timestamp are written without boxing or an intermediate string.
 *
 * <p>Not thread-safe (it reuses its buffers); use one per thread.
 */
public final class EcsJsonWriter {
    /**
     * The names of the event's typed members, in the order the document has always listed them (for
     * a name that the field map has too, the map's value follows and is the one ES keeps). One bit
     * each in a layout's mask; {@link #present} and {@link #writeTyped} follow this order.
     */
    static final String[] TYPED = {
        "@timestamp", "message", "source.ip", "user.name", "http.request.method", "url.original", "url.path",
        "url.query", "http.version", "http.request.referrer", "user_agent.original", "http.response.status_code",
        "http.response.body.bytes", "event.duration", "log.level", "url.extension", "related.ip",
    };
    /** Layouts kept per writer: the name lists of the sources and enrichers one thread sees. */
    private static final int LAYOUTS = 512;
    private static final int PROBES = 8;
    private static final int MAX_NESTING = 20;
    private static final long DAY_MILLIS = 86_400_000L;
    private static final byte[] ZONE_END = "Z\"".getBytes(StandardCharsets.US_ASCII);

    private final DocumentLayout[] layouts = new DocumentLayout[LAYOUTS];
    private DocumentLayout lastLayout;
    private final JsonBytes out = new JsonBytes(2048);
    private final long[] doubleKeys = new long[64];
    private final byte[][] doubleBytes = new byte[64][];
    /** The day of the last timestamp and its {@code "YYYY-MM-DDT} bytes (null outside years 0-9999). */
    private long day = Long.MIN_VALUE;
    private byte[] dayPrefix;
    /** The second of the last timestamp and its {@code "YYYY-MM-DDTHH:MM:SS.} bytes (a log's lines come many a second). */
    private long second = Long.MIN_VALUE;
    private final byte[] secondPrefix = new byte[21];
    /** The last typed string written in this document and where its bytes are. */
    private String lastString;
    private int lastFrom;
    private int lastTo;

    public byte[] write(LogEvent event) {
        FieldMap fields = event.fieldMap();
        if (fields.hasNullValue()) {
            fields = fields.withoutNullValues(); // rare (LogEvent.put drops nulls): a null-valued field is left out
        }
        Object[] mapValues = fields.valueArray();
        DocumentLayout layout = layout(present(event), fields);
        out.reset();
        lastString = null;
        out.raw((byte) '{');
        int n = layout.source.length;
        int[] runEnd = layout.runEnd;
        for (int k = 0; k < n; ) {
            int end = runEnd[k];
            if (end == 0) {
                field(event, layout, k++, mapValues);
            } else if (layout.sameAsKept(k, end, mapValues)) {
                out.raw(layout.keptBytes(k), layout.keptLength(k));
                k = end;
            } else {
                int from = out.size();
                for (int i = k; i < end; i++) {
                    field(event, layout, i, mapValues);
                }
                layout.keep(k, end, mapValues, out, from);
                runEnd = layout.runEnd; // changed if a value turned out not to be immutable
                k = end;
            }
        }
        out.raw(layout.suffix);
        return out.toByteArray();
    }

    /** The field at position {@code k} of the layout: the bytes before it, then its value. */
    private void field(LogEvent event, DocumentLayout layout, int k, Object[] mapValues) {
        out.raw(layout.prefix[k]);
        int from = layout.source[k] - TYPED.length;
        if (from < 0) {
            writeTyped(event, from + TYPED.length);
        } else if (mapValues[from] instanceof String s) {
            out.string(s);
        } else {
            value(mapValues[from], 0);
        }
    }

    /** One bit per typed member that the event has, in {@link #TYPED} order. */
    private static int present(LogEvent e) {
        return (e.timestampMillis != LogEvent.ABSENT ? 1 : 0)
                | (e.message != null ? 1 << 1 : 0)
                | (e.sourceIp != null ? 1 << 2 : 0)
                | (e.userName != null ? 1 << 3 : 0)
                | (e.method != null ? 1 << 4 : 0)
                | (e.urlOriginal != null ? 1 << 5 : 0)
                | (e.urlPath != null ? 1 << 6 : 0)
                | (e.urlQuery != null ? 1 << 7 : 0)
                | (e.httpVersion != null ? 1 << 8 : 0)
                | (e.referrer != null ? 1 << 9 : 0)
                | (e.userAgent != null ? 1 << 10 : 0)
                | (e.statusCode >= 0 ? 1 << 11 : 0)
                | (e.bodyBytes != LogEvent.ABSENT ? 1 << 12 : 0)
                | (e.durationNanos != LogEvent.ABSENT ? 1 << 13 : 0)
                | (e.logLevel != null ? 1 << 14 : 0)
                | (e.urlExtension != null ? 1 << 15 : 0)
                | (e.relatedIp != null ? 1 << 16 : 0);
    }

    /** The value of typed member {@code t} ({@link #TYPED} order), which is present. */
    private void writeTyped(LogEvent e, int t) {
        switch (t) {
            case 0 -> timestamp(e.timestampMillis);
            case 1 -> out.string(e.message);
            case 2 -> typedString(e.sourceIp);
            case 3 -> out.string(e.userName);
            case 4 -> out.string(e.method);
            case 5 -> typedString(e.urlOriginal);
            case 6 -> typedString(e.urlPath);
            case 7 -> out.string(e.urlQuery);
            case 8 -> out.string(e.httpVersion);
            case 9 -> out.string(e.referrer);
            case 10 -> out.string(e.userAgent);
            case 11 -> out.number(e.statusCode);
            case 12 -> out.number(e.bodyBytes);
            case 13 -> out.number(e.durationNanos);
            case 14 -> out.string(e.logLevel);
            case 15 -> out.string(e.urlExtension);
            case 16 -> relatedIp(e.relatedIp);
            default -> throw new IllegalStateException("no typed member " + t);
        }
    }

    /**
     * A typed string that may be the very object written just before: the parser hands out the
     * same string for {@code url.path} as for {@code url.original} when there is no query, and the
     * client's address for {@code related.ip} and {@code source.ip}. Its bytes are then copied.
     */
    private void typedString(String s) {
        if (s == lastString) {
            out.again(lastFrom, lastTo);
            return;
        }
        int from = out.size();
        out.string(s);
        lastString = s;
        lastFrom = from;
        lastTo = out.size();
    }

    /** {@code related.ip}: a list of strings, as {@link #value} writes it, without the generic dispatch. */
    private void relatedIp(java.util.List<String> ips) {
        if (!(ips instanceof java.util.RandomAccess)) {
            value(ips, 0);
            return;
        }
        out.raw((byte) '[');
        for (int i = 0, n = ips.size(); i < n; i++) {
            if (i > 0) {
                out.raw((byte) ',');
            }
            Object ip = ips.get(i);
            if (ip instanceof String s) {
                typedString(s);
            } else {
                value(ip, 1);
            }
        }
        out.raw((byte) ']');
    }

    /**
     * The cached layout of these members and names, or a new one. Open addressing over a few
     * neighbouring slots: a log's sources and enrichers make dozens of name lists (with or without
     * GeoIP, a query string, a bot name ...), and a direct-mapped table rebuilt layouts on every
     * collision. The names' hashes are the field map's, computed once at put.
     */
    private DocumentLayout layout(int mask, FieldMap fields) {
        int n = fields.size();
        String[] names = fields.nameArray();
        DocumentLayout last = lastLayout;
        if (last != null && last.matches(mask, names, n)) {
            return last; // events of one source come in a row: no hashing of the names
        }
        return lastLayout = find(mask, names, n, fields.hashArray());
    }

    private DocumentLayout find(int mask, String[] names, int n, int[] hashes) {
        int h = mask * 31 + n;
        for (int i = 0; i < n; i++) {
            h = 31 * h + hashes[i];
        }
        int slot = (h ^ h >>> 16) & (LAYOUTS - 1);
        for (int probe = 0; probe < PROBES; probe++) {
            DocumentLayout l = layouts[(slot + probe) & (LAYOUTS - 1)];
            if (l == null) {
                return layouts[(slot + probe) & (LAYOUTS - 1)] = DocumentLayout.of(mask, names, n, h);
            }
            if (l.hash == h && l.matches(mask, names, n)) {
                return l;
            }
        }
        return layouts[slot] = DocumentLayout.of(mask, names, n, h); // neighbourhood full: replace
    }

    /**
     * ISO-8601 in UTC with milliseconds, as {@link Timestamps#iso}. A log has many lines a second:
     * the {@code "YYYY-MM-DDTHH:MM:SS.} part is kept per second (the date part per day), so most
     * timestamps cost three digits.
     */
    private void timestamp(long millis) {
        long sec = Math.floorDiv(millis, 1000);
        if (sec == second) {
            out.raw(secondPrefix);
        } else if (!newSecond(millis)) {
            out.string(Timestamps.iso(millis)); // outside the years 0-9999
            return;
        } else {
            second = sec;
        }
        out.digits((int) Math.floorMod(millis, 1000L), 3);
        out.raw(ZONE_END);
    }

    /** Writes and keeps the {@code "YYYY-MM-DDTHH:MM:SS.} of this second; false outside the years 0-9999. */
    private boolean newSecond(long millis) {
        long d = Math.floorDiv(millis, DAY_MILLIS);
        if (d != day) {
            String iso = Timestamps.iso(d * DAY_MILLIS);
            day = d;
            dayPrefix = iso.length() == 24 && iso.charAt(10) == 'T'
                    ? ('"' + iso.substring(0, 11)).getBytes(StandardCharsets.US_ASCII) : null;
        }
        if (dayPrefix == null) {
            return false;
        }
        int ms = (int) Math.floorMod(millis, DAY_MILLIS);
        int from = out.size();
        out.raw(dayPrefix);
        out.digits(ms / 3_600_000, 2);
        out.raw((byte) ':');
        out.digits(ms / 60_000 % 60, 2);
        out.raw((byte) ':');
        out.digits(ms / 1000 % 60, 2);
        out.raw((byte) '.');
        out.copyTo(from, secondPrefix);
        return true;
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
            out.string(s);
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
}
