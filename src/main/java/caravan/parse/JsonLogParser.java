package caravan.parse;

import caravan.event.LogEvent;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON log lines (one object per line), read with Jackson's streaming parser.
 *
 * <p>Mapped to ECS: {@code @timestamp}/{@code timestamp}/{@code time}/{@code ts} (ISO 8601 text, or
 * epoch seconds, millis, micros or nanos, told apart by size) to {@code @timestamp};
 * {@code level}/{@code severity}/{@code log.level} to {@code log.level} (pino's numeric levels
 * become names); {@code service}/{@code service.name} to {@code service.name};
 * {@code message}/{@code msg} to {@code message}; {@code logger}/{@code log.logger} to
 * {@code log.logger}. Every other member is kept, with its nesting, under {@code labels.} (option
 * {@code into=<name>}; {@code into=} keeps them at the root, for logs already in ECS).
 *
 * <p>Limits: a line over {@code max} characters (default 1 MiB) is a ParseException, as is nesting
 * deeper than 256 (the parser's own bound). Between {@code depth} (default 16) and 256, deeper members
 * are dropped and the event is flagged {@code caravan.truncated}; so are members beyond 1,000, members
 * whose dotted name would have more than 20 segments (dotted keys nest too) and string values over
 * 8,191 characters (cut). Numbers that do not fit a long or a double (1e999) are
 * kept as their text.
 */
final class JsonLogParser extends ZonedLineParser {
    static final int DEFAULT_DEPTH = 16;
    static final int DEFAULT_MAX_CHARS = 1 << 20;
    private static final int HARD_DEPTH = 256;
    private static final int MAX_MEMBERS = 1000;
    /** Dotted-name segments a field may have: Elasticsearch's default mapping depth limit is 20. */
    private static final int MAX_SEGMENTS = 20;

    private final JsonFactory json;
    private final String into;
    private final int intoSegments;
    private final int maxDepth;
    private final int maxChars;

    JsonLogParser(String into, int maxDepth, int maxChars, ZoneId zone, String dataset) {
        super(zone, dataset);
        this.into = into.isEmpty() ? "" : into + ".";
        this.intoSegments = into.isEmpty() ? 0 : segments(into);
        this.maxDepth = maxDepth;
        this.maxChars = maxChars;
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(HARD_DEPTH).build())
                .build();
    }

    /** Per line: what has been seen so far. */
    private static final class State {
        final Scan scan = new Scan();
        int members;
        boolean time;
    }

    @Override
    public void parse(String line, LogEvent e) throws ParseException {
        int end = line.length();
        while (end > 0 && Character.isWhitespace(line.charAt(end - 1))) {
            end--;
        }
        if (end > maxChars) {
            throw new ParseException(maxChars, "JSON line of " + end + " characters is over the limit of "
                    + maxChars);
        }
        int start = 0;
        while (start < end && Character.isWhitespace(line.charAt(start))) {
            start++;
        }
        if (start == end || line.charAt(start) != '{') {
            throw new ParseException(start, "not a JSON object");
        }
        State st = new State();
        try (JsonParser p = json.createParser(line)) {
            p.nextToken();
            object(p, "", 1, e, st);
            if (p.nextToken() != null) {
                throw new ParseException(offset(p.currentLocation()), "text after the JSON object");
            }
        } catch (JsonProcessingException x) {
            throw new ParseException(offset(x.getLocation()), x.getOriginalMessage());
        } catch (IOException x) {
            throw new ParseException(0, String.valueOf(x.getMessage()));
        }
        st.scan.finish(e);
    }

    private static int offset(JsonLocation loc) {
        if (loc == null) {
            return 0;
        }
        long c = loc.getCharOffset();
        return c < 0 ? 0 : (int) Math.min(c, Integer.MAX_VALUE);
    }

    /** The members of the object whose START_OBJECT was just read. */
    private void object(JsonParser p, String path, int depth, LogEvent e, State st) throws IOException, ParseException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = key(p.currentName());
            String full = path.isEmpty() ? name : path + '.' + name;
            JsonToken v = p.nextToken();
            if (segments(full) + intoSegments > MAX_SEGMENTS) {
                // Dotted keys nest too: past this the document would exceed Elasticsearch's depth limit.
                p.skipChildren();
                st.scan.markTruncated();
                continue;
            }
            if (v == JsonToken.START_OBJECT) {
                if (depth >= maxDepth) {
                    p.skipChildren();
                    st.scan.markTruncated();
                } else {
                    object(p, full, depth + 1, e, st);
                }
                continue;
            }
            if (++st.members > MAX_MEMBERS) {
                p.skipChildren();
                st.scan.markTruncated();
                continue;
            }
            if (v == JsonToken.START_ARRAY) {
                List<Object> list = depth >= maxDepth ? null : array(p, depth + 1, st);
                if (list == null) {
                    p.skipChildren();
                    st.scan.markTruncated();
                } else {
                    e.put(into + full, list);
                }
                continue;
            }
            Object value = scalar(p, v, st);
            if (value != null && !wellKnown(full, value, e, st)) {
                e.put(into + full, value);
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new ParseException(offset(p.currentLocation()), "unexpected " + t + " in an object");
        }
    }

    private List<Object> array(JsonParser p, int depth, State st) throws IOException {
        List<Object> out = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
            if (++st.members > MAX_MEMBERS) {
                p.skipChildren();
                st.scan.markTruncated();
                continue;
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                Object nested = depth >= maxDepth ? null
                        : t == JsonToken.START_OBJECT ? map(p, depth + 1, st) : array(p, depth + 1, st);
                if (nested == null) {
                    p.skipChildren();
                    st.scan.markTruncated();
                } else {
                    out.add(nested);
                }
            } else {
                Object v = scalar(p, t, st);
                if (v != null) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** An object inside an array, kept as a map (the writer nests it as it is). */
    private Map<String, Object> map(JsonParser p, int depth, State st) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = key(p.currentName());
            JsonToken v = p.nextToken();
            if (++st.members > MAX_MEMBERS) {
                p.skipChildren();
                st.scan.markTruncated();
                continue;
            }
            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
                Object nested = depth >= maxDepth ? null
                        : v == JsonToken.START_OBJECT ? map(p, depth + 1, st) : array(p, depth + 1, st);
                if (nested == null) {
                    p.skipChildren();
                    st.scan.markTruncated();
                } else {
                    out.put(name, nested);
                }
            } else {
                Object s = scalar(p, v, st);
                if (s != null) {
                    out.put(name, s);
                }
            }
        }
        return out;
    }

    private static Object scalar(JsonParser p, JsonToken t, State st) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return st.scan.clip(wellFormed(p.getText()));
            case VALUE_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT, LONG -> p.getLongValue();
                    default -> p.getText(); // beyond a long: Elasticsearch would refuse it as a number
                };
            case VALUE_NUMBER_FLOAT:
                double d = p.getDoubleValue();
                return Double.isFinite(d) ? (Object) d : p.getText();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null; // null: absent
        }
    }

    /** ECS homes for the members every JSON logger writes; false to keep the member as it is. */
    private boolean wellKnown(String path, Object value, LogEvent e, State st) {
        switch (path) {
            case "@timestamp", "timestamp", "time", "ts" -> {
                if (st.time) {
                    return false;
                }
                long t = time(value);
                if (t == Times.INVALID) {
                    st.scan.invalid("@timestamp");
                    return false;
                }
                e.timestampMillis = t;
                st.time = true;
                return true;
            }
            case "level", "severity", "log.level" -> {
                if (value instanceof Long n) {
                    e.logLevel = pinoLevel(n);
                } else if (value instanceof String s) {
                    e.logLevel = s;
                } else {
                    return false;
                }
                return true;
            }
            case "service", "service.name" -> {
                if (!(value instanceof String)) {
                    return false;
                }
                e.put("service.name", value);
                return true;
            }
            case "message", "msg" -> {
                if (!(value instanceof String s) || e.message != null) {
                    return false;
                }
                e.message = s;
                return true;
            }
            case "logger", "log.logger" -> {
                e.put("log.logger", value.toString());
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private long time(Object v) {
        if (v instanceof String s) {
            Times.Result r = new Times.Result();
            if (Times.iso(s, 0, s.length(), zone, r) == s.length()) {
                return r.millis;
            }
            return Times.INVALID;
        }
        if (v instanceof Long n) {
            return epoch(n.doubleValue(), n);
        }
        if (v instanceof Double d) {
            return epoch(d, d.longValue());
        }
        return Times.INVALID;
    }

    /** Seconds, millis, micros or nanos since the epoch, by magnitude (valid for 1973 to 5138). */
    private static long epoch(double d, long n) {
        double a = Math.abs(d);
        if (a < 1e11) {
            return Math.round(d * 1000);
        }
        if (a < 1e14) {
            return n;
        }
        if (a < 1e17) {
            return n / 1000;
        }
        return n / 1_000_000;
    }

    private static String pinoLevel(long n) {
        return switch ((int) Math.min(Math.max(n, 0), 100)) {
            case 10 -> "trace";
            case 20 -> "debug";
            case 30 -> "info";
            case 40 -> "warn";
            case 50 -> "error";
            case 60 -> "fatal";
            default -> Long.toString(n);
        };
    }

    private static int segments(String dotted) {
        int n = 1;
        for (int i = 0; i < dotted.length(); i++) {
            if (dotted.charAt(i) == '.') {
                n++;
            }
        }
        return n;
    }

    /** A member name as a dotted-path segment: never empty, no empty segments. */
    private static String key(String k) {
        if (!k.isEmpty() && k.charAt(0) != '.' && k.charAt(k.length() - 1) != '.' && !k.contains("..")
                && k.length() <= 256) {
            return wellFormed(k);
        }
        StringBuilder b = new StringBuilder();
        for (String part : k.split("\\.", -1)) {
            if (b.length() > 0) {
                b.append('.');
            }
            b.append(part.isEmpty() ? "_" : part);
            if (b.length() > 256) {
                break;
            }
        }
        return wellFormed(b.length() > 256 ? b.substring(0, 256) : b.toString());
    }

    /** Lone surrogates (legal in JSON escapes) replaced, since no UTF-8 writer can carry them. */
    static String wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return replaceLoneSurrogates(s);
            }
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                b.append(c).append(s.charAt(++i));
            } else {
                b.append(Character.isSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return b.toString();
    }
}
