package caravan.parse;

import caravan.event.LogEvent;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A compiled access-log format: literals and fields in order, scanned left to right with no regex and
 * no backtracking beyond one remembered fallback per field, so a line costs time linear in its length
 * however hostile it is.
 *
 * <p>The structure is strict (every literal of the format must be where the format says, and the line
 * must end where the format ends); values are lenient: a field whose text cannot be read (a status of
 * {@code abc}) is left out and named in {@code caravan.invalid_fields}. The one value that is
 * structural is the time: an access line without a readable time is not of this format, and a
 * document without it would be filed under the wrong day.
 */
final class AccessLogParser implements LineParser {
    private final String dataset;
    private final String format;
    private final String[] lits;       // lits[i] precedes fields[i]; lits[n] ends the format
    private final AccessField[] fields;
    private final ZoneId zone;
    private final boolean composeUrl;  // %U/%q/$uri/$args without a request line or $request_uri
    private final int lastTimeField;   // index of the last time field, -1 if none

    AccessLogParser(String dataset, String format, List<Object> elements, ZoneId zone) {
        this.dataset = dataset;
        this.format = format;
        this.zone = zone;
        List<String> l = new ArrayList<>();
        List<AccessField> f = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        for (Object el : elements) {
            if (el instanceof AccessField af) {
                l.add(lit.toString());
                lit.setLength(0);
                f.add(af);
            } else {
                lit.append((String) el);
            }
        }
        l.add(lit.toString());
        this.lits = l.toArray(new String[0]);
        this.fields = f.toArray(new AccessField[0]);
        boolean hasRequest = false;
        boolean hasParts = false;
        for (AccessField af : fields) {
            hasRequest |= af.kind == AccessField.REQUEST || af.kind == AccessField.URI;
            hasParts |= af.kind == AccessField.URL_PATH || af.kind == AccessField.QUERY
                    || af.kind == AccessField.QUERY_WITH_MARK;
        }
        this.composeUrl = hasParts && !hasRequest;
        int lastTime = -1;
        for (int i = 0; i < fields.length; i++) {
            if (fields[i].selfDelimited()) {
                lastTime = i;
            }
        }
        this.lastTimeField = lastTime;
        layout();
    }

    /** Decides, once, how each field's end is found (see {@link AccessField#extent}). */
    private void layout() {
        for (int i = 0; i < fields.length; i++) {
            AccessField f = fields[i];
            String after = lits[i + 1];
            AccessField next = i + 1 < fields.length ? fields[i + 1] : null;
            f.quoted = lits[i].endsWith("\"") && after.startsWith("\"");
            if (f.selfDelimited()) {
                f.extent = AccessField.SELF;
            } else if (!after.isEmpty()) {
                f.extent = next == null ? AccessField.ANCHORED : AccessField.DELIM;
                if (next != null) {
                    f.lookahead = next.firstChar() != 0 ? next.firstChar() : next.numeric() ? 1 : 0;
                }
            } else {
                f.extent = next == null ? AccessField.REST : AccessField.NATURAL;
                if (next != null) {
                    f.stopAt = next.firstChar();
                }
            }
        }
    }

    @Override
    public String dataset() {
        return dataset;
    }

    @Override
    public String toString() {
        return dataset + " format '" + format + "'";
    }

    @Override
    public void parse(String line, LogEvent e) throws ParseException {
        int end = LineParser.contentEnd(line);
        if (end == 0) {
            throw new ParseException(0, "empty line");
        }
        e.message = line;
        String first = lits[0];
        if (!line.startsWith(first)) {
            throw new ParseException(0, "expected '" + first + "' at the start of the line");
        }
        Scan scan = new Scan();
        int pos = first.length();
        for (int i = 0; i < fields.length; i++) {
            AccessField f = fields[i];
            String after = lits[i + 1];
            if (pos >= end && f.extent != AccessField.REST && f.extent != AccessField.NATURAL) {
                cut(i, end, f);
                break; // the line ended before this field
            }
            int vEnd;
            boolean ranOut = false;
            switch (f.extent) {
                case AccessField.SELF -> vEnd = time(f, line, pos, end, e, scan);
                case AccessField.DELIM -> {
                    vEnd = delimited(f, line, pos, end, after);
                    if (vEnd < 0) {
                        cut(i, end, f);
                        vEnd = closingQuote(f, line, pos, end);
                        ranOut = true;
                    }
                }
                case AccessField.ANCHORED -> {
                    vEnd = end - after.length();
                    if (f.quoted && vEnd > pos) {
                        // Servers escape quotes inside values: a bare quote and space before the end means
                        // fields this format does not have ("%{User-Agent}i" %D read as combined).
                        int q = delimitedBefore(line, pos, vEnd, after);
                        if (q >= 0) {
                            throw new ParseException(q + after.length(), "text after the end of the format");
                        }
                    }
                    if (vEnd < pos || !line.startsWith(after, vEnd)) {
                        // A line cut inside its last field keeps what it has; one that goes on past the
                        // format's end is another format.
                        if (line.indexOf(after, pos) >= 0 && line.indexOf(after, pos) < end) {
                            throw new ParseException(end, "expected the line to end with '" + after + "' after "
                                    + f.source);
                        }
                        cut(i, end, f);
                        vEnd = closingQuote(f, line, pos, end);
                        ranOut = true;
                    }
                }
                case AccessField.REST -> vEnd = end;
                default -> vEnd = natural(f, line, pos, end);
            }
            if (f.extent != AccessField.SELF) {
                AccessValues.apply(f, line, pos, vEnd, e, scan);
            }
            if (ranOut) {
                scan.incomplete = true;
                break;
            }
            if (vEnd + after.length() > end && after.startsWith(line.substring(vEnd, end)) && i + 1 < fields.length) {
                cut(i + 1, end, fields[i + 1]);
                scan.incomplete = true;
                break; // the line ended inside the literal after this field
            }
            if (!line.startsWith(after, vEnd) || vEnd + after.length() > end) {
                throw new ParseException(vEnd, "expected '" + after + "' after " + f.source);
            }
            pos = vEnd + after.length();
        }
        if (pos != end && !scan.incomplete) {
            throw new ParseException(pos, "text after the end of the format");
        }
        finish(e, scan);
    }

    /**
     * A line that ends early (cut by a size limit, a crash, a copy) is still the format's line if its
     * time has been read: the fields it has are kept and the event is flagged
     * {@code caravan.incomplete}. Cut before the time, or in a format without a time, it cannot be told
     * from a line of another format.
     */
    private void cut(int fieldIndex, int end, AccessField f) throws ParseException {
        if (fieldIndex <= lastTimeField || lastTimeField < 0) {
            throw new ParseException(end, "the line ends before " + f.source);
        }
    }

    private void finish(LogEvent e, Scan scan) {
        if (e.timestampMillis == LogEvent.ABSENT) {
            long t = LogEvent.ABSENT;
            if (scan.begin != null) {
                t = scan.begin.resolve(zone);
            }
            if (t == LogEvent.ABSENT && scan.end != null) {
                t = scan.end.resolve(zone);
            }
            e.timestampMillis = t;
        }
        Http.proxyChain(scan.forwardedFor, scan.peerChain, e);
        if (composeUrl && e.urlOriginal == null && e.urlPath != null) {
            e.urlOriginal = e.urlQuery == null ? e.urlPath : e.urlPath + '?' + e.urlQuery;
        }
        scan.finish(e);
        Http.urlExtension(e);
        Http.relatedIps(e);
    }

    /**
     * The end of a field that runs up to {@code after}. Inside quotes a backslash-escaped quote does
     * not count. Matches whose next character fits the next field are preferred, so a request line
     * {@code GET /a b HTTP/1.1} in an unquoted {@code %r %>s} still ends before the status; the first
     * plain match is the fallback.
     */
    private static int delimited(AccessField f, String s, int pos, int end, String after) {
        char c0 = after.charAt(0);
        int n = after.length();
        int fallback = -1;
        int i = pos;
        while (true) {
            i = s.indexOf(c0, i);
            if (i < 0 || i + n > end) {
                break;
            }
            if (f.quoted && escaped(s, pos, i)) {
                i++;
                continue;
            }
            if (n == 1 || s.startsWith(after, i)) {
                int la = f.lookahead;
                if (la == 0) {
                    return i;
                }
                int next = i + n;
                if (next < end) {
                    char c = s.charAt(next);
                    if (la == 1 ? (c >= '0' && c <= '9') || c == '-' : c == la) {
                        return i;
                    }
                }
                if (fallback < 0) {
                    fallback = i;
                }
            }
            i++;
        }
        return fallback; // -1: not found, the line ends inside this field
    }

    /** The first unescaped {@code after} followed by a space in {@code s[pos, limit)}, or -1. */
    private static int delimitedBefore(String s, int pos, int limit, String after) {
        char c0 = after.charAt(0);
        int i = pos;
        while ((i = s.indexOf(c0, i)) >= 0 && i < limit) {
            int next = i + after.length();
            if (next < limit && s.charAt(next) == ' ' && s.startsWith(after, i) && !escaped(s, pos, i)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /**
     * Where a quoted value ends when the line stops before the format does: before its own closing
     * quote when the line ends with one ({@code ... 200 491 "-"} in {@code combined}), else at the end.
     */
    private static int closingQuote(AccessField f, String s, int pos, int end) {
        int q = end - 1;
        return f.quoted && q >= pos && s.charAt(q) == '"' && !escaped(s, pos, q) ? q : end;
    }

    /** An odd run of backslashes right before {@code i} escapes the character at {@code i}. */
    private static boolean escaped(String s, int from, int i) {
        int k = i - 1;
        while (k >= from && s.charAt(k) == '\\') {
            k--;
        }
        return ((i - 1 - k) & 1) == 1;
    }

    private static int natural(AccessField f, String s, int pos, int end) {
        int i = pos;
        if (f.numeric()) {
            while (i < end && ((s.charAt(i) >= '0' && s.charAt(i) <= '9') || s.charAt(i) == '.' || s.charAt(i) == '-')) {
                i++;
            }
            return i;
        }
        char stop = f.stopAt;
        boolean path = f.kind == AccessField.URL_PATH;
        while (i < end) {
            char c = s.charAt(i);
            if (c == ' ' || c == stop || (path && c == '?')) {
                break;
            }
            i++;
        }
        return i;
    }

    /** Times read themselves: the scan of the value is also how its end is found. */
    private int time(AccessField f, String s, int pos, int end, LogEvent e, Scan scan) throws ParseException {
        switch (f.kind) {
            case AccessField.TIME_CLF_BRACKETED -> {
                long t = pos + 28 <= end && s.charAt(pos) == '[' && s.charAt(pos + 27) == ']'
                        ? Times.clf(s, pos + 1) : Times.INVALID;
                if (t == Times.INVALID) {
                    throw new ParseException(pos, "expected the time as [dd/MMM/yyyy:HH:mm:ss +zzzz] for "
                            + f.source);
                }
                setTime(e, t);
                return pos + 28;
            }
            case AccessField.TIME_CLF -> {
                long t = pos + 26 <= end ? Times.clf(s, pos) : Times.INVALID;
                if (t == Times.INVALID) {
                    throw new ParseException(pos, "expected the time as dd/MMM/yyyy:HH:mm:ss +zzzz for " + f.source);
                }
                setTime(e, t);
                return pos + 26;
            }
            case AccessField.TIME_ISO -> {
                Times.Result r = new Times.Result();
                int after = Times.iso(s, pos, end, zone, r);
                if (after < 0) {
                    throw new ParseException(pos, "expected an ISO 8601 time for " + f.source);
                }
                setTime(e, r.millis);
                return after;
            }
            case AccessField.TIME_EPOCH_DECIMAL -> {
                int i = pos;
                while (i < end && ((s.charAt(i) >= '0' && s.charAt(i) <= '9') || s.charAt(i) == '.')) {
                    i++;
                }
                long nanos = Times.decimalNanos(s, pos, i, 1_000_000_000L);
                if (nanos == Times.INVALID) {
                    throw new ParseException(pos, "expected seconds since the epoch for " + f.source);
                }
                setTime(e, nanos / 1_000_000);
                return i;
            }
            default -> {
                TimeParts t = scan.time(f.endTime);
                int r = f.time.parse(s, pos, end, t);
                if (r < 0) {
                    throw new ParseException(-1 - r, "expected the time as '" + f.time.source + "' for " + f.source);
                }
                return r;
            }
        }
    }

    private static void setTime(LogEvent e, long t) {
        if (e.timestampMillis == LogEvent.ABSENT) {
            e.timestampMillis = t;
        }
    }
}
