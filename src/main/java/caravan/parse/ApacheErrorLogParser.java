package caravan.parse;

import caravan.event.LogEvent;
import java.time.ZoneId;

/**
 * Apache httpd error log lines, as the 2.4 default {@code ErrorLogFormat} writes them (2.2 lines too):
 *
 * <pre>
 * [Wed Oct 11 14:32:52.123456 2000] [core:error] [pid 1234:tid 5678] [client 1.2.3.4:5678] AH00123: message
 * [Wed Oct 11 14:32:52 2000] [error] [client 1.2.3.4] message
 * </pre>
 *
 * <p>Fields: {@code log.level}, {@code apache.error.module}, {@code process.pid},
 * {@code process.thread.id}, {@code source.ip}/{@code source.port} (from {@code [client ..]}),
 * {@code error.code} (the {@code AHnnnnn} message id), {@code log.origin.file.name}/{@code .line}
 * (debug builds' {@code file.c(123):}), {@code apache.error.os_error} ({@code (13)Permission denied}),
 * {@code http.request.referrer} (the trailing {@code , referer: ...}), {@code file.path} (2.2's
 * {@code File does not exist: }) and {@code message}, the text alone. The time carries no zone (it is
 * read in the configured one) unless written as {@code [dd/MMM/yyyy:HH:mm:ss +zzzz]}.
 */
final class ApacheErrorLogParser extends ZonedLineParser {
    private static final String NOT_FOUND = "File does not exist: ";

    ApacheErrorLogParser(ZoneId zone, String dataset) {
        super(zone, dataset);
    }

    @Override
    public void parse(String line, LogEvent e) throws ParseException {
        int end = LineParser.contentEnd(line);
        if (end == 0 || line.charAt(0) != '[') {
            throw new ParseException(0, "expected '[' and the time at the start of an error log line");
        }
        int close = line.indexOf(']', 1);
        if (close < 0 || close >= end) {
            throw new ParseException(1, "the time has no closing ']'");
        }
        long t = time(line, 1, close);
        if (t == Times.INVALID) {
            throw new ParseException(1, "expected the time as 'Wed Oct 11 14:32:52[.123456] 2000'");
        }
        e.timestampMillis = t;
        Scan scan = new Scan();
        int pos = close + 1;
        boolean first = true;
        // Bracketed fields in any order: [module:level] (first only), [pid ..], [client ..], [remote ..].
        while (true) {
            int p = skipSpaces(line, pos, end);
            if (p >= end || line.charAt(p) != '[') {
                pos = p;
                break;
            }
            int c = line.indexOf(']', p);
            if (c < 0 || c >= end) {
                pos = p;
                break;
            }
            if (line.startsWith("pid ", p + 1)) {
                pid(line, p + 5, c, e);
            } else if (line.startsWith("client ", p + 1)) {
                client(line, p + 8, c, e);
            } else if (line.startsWith("remote ", p + 1)) {
                e.put("apache.error.remote_address", line.substring(p + 8, c));
            } else if (first && isLevel(line, p + 1, c)) {
                level(line, p + 1, c, e);
            } else {
                pos = p;
                break; // a bracket that belongs to the message
            }
            first = false;
            pos = c + 1;
        }
        // Optional "file.c(123): " and "(13)Permission denied: " before the client and the message.
        pos = origin(line, pos, end, e);
        pos = osError(line, pos, end, e);
        int p = skipSpaces(line, pos, end);
        if (line.startsWith("[client ", p)) {
            int c = line.indexOf(']', p);
            if (c > 0 && c < end) {
                client(line, p + 8, c, e);
                pos = c + 1;
            }
        }
        message(line, skipSpaces(line, pos, end), end, e, scan);
        scan.finish(e);
    }

    /** {@code Wed Oct 11 14:32:52.123456 2000} (ctime with microseconds) or {@code 2000-10-11 14:32:52.123456}. */
    private long time(String s, int from, int to) {
        if (to - from == 26 && s.charAt(from + 2) == '/') {
            return Times.clf(s, from); // [dd/MMM/yyyy:HH:mm:ss +zzzz]: a custom ErrorLogFormat
        }
        if (to - from >= 16 && Times.digit(s, from) >= 0) {
            Times.Result r = new Times.Result();
            int after = Times.iso(s, from, to, zone, r);
            return after == to ? r.millis : Times.INVALID;
        }
        // Www Mmm dd hh:mm:ss[.ffffff] yyyy
        if (to - from < 24 || s.charAt(from + 3) != ' ' || s.charAt(from + 7) != ' ') {
            return Times.INVALID;
        }
        int month = Times.month(s, from + 4, 3);
        int i = from + 8;
        int day = s.charAt(i) == ' ' ? Times.digit(s, i + 1) : Times.two(s, i);
        i += 2;
        if (s.charAt(i) != ' ' || s.charAt(i + 3) != ':' || s.charAt(i + 6) != ':') {
            return Times.INVALID;
        }
        int hour = Times.two(s, i + 1);
        int minute = Times.two(s, i + 4);
        int second = Times.two(s, i + 7);
        i += 9;
        int nanos = 0;
        if (i < to && s.charAt(i) == '.') {
            i++;
            int scale = 100_000_000;
            int start = i;
            while (i < to && Times.digit(s, i) >= 0 && i - start < 9) {
                nanos += Times.digit(s, i) * scale;
                scale /= 10;
                i++;
            }
        }
        if (i + 5 != to || s.charAt(i) != ' ' || Times.two(s, i + 1) < 0 || Times.two(s, i + 3) < 0
                || (month | day | hour | minute | second) < 0) {
            return Times.INVALID;
        }
        int year = Times.two(s, i + 1) * 100 + Times.two(s, i + 3);
        return Times.local(year, month, day, hour, minute, second, nanos, Times.NO_OFFSET, zone);
    }

    private static boolean isLevel(String s, int from, int to) {
        int colon = s.lastIndexOf(':', to - 1);
        int l = colon >= from ? colon + 1 : from;
        return switch (s.substring(l, to)) {
            case "emerg", "alert", "crit", "error", "warn", "notice", "info", "debug",
                "trace1", "trace2", "trace3", "trace4", "trace5", "trace6", "trace7", "trace8" -> true;
            default -> false;
        };
    }

    private static void level(String s, int from, int to, LogEvent e) {
        int colon = s.lastIndexOf(':', to - 1);
        if (colon >= from) {
            if (colon > from) {
                e.put("apache.error.module", s.substring(from, colon));
            }
            e.logLevel = s.substring(colon + 1, to);
        } else {
            e.logLevel = s.substring(from, to);
        }
    }

    /** {@code 1234} or {@code 1234:tid 5678}. */
    private static void pid(String s, int from, int to, LogEvent e) {
        int colon = s.indexOf(':', from);
        int pidEnd = colon >= 0 && colon < to ? colon : to;
        long pid = Http.number(s, from, pidEnd);
        if (pid >= 0) {
            e.put("process.pid", pid);
        }
        if (pidEnd < to && s.startsWith("tid ", pidEnd + 1)) {
            long tid = Http.number(s, pidEnd + 5, to);
            if (tid >= 0) {
                e.put("process.thread.id", tid);
            }
        }
    }

    /** {@code ip:port} (2.4) or {@code ip} (2.2); IPv6 as written, port after the last colon. */
    private static void client(String s, int from, int to, LogEvent e) {
        if (Ips.isIp(s, from, to) && s.indexOf('.', from) >= 0 && s.indexOf('.', from) < to
                && s.indexOf(':', from) < 0) {
            e.sourceIp = s.substring(from, to); // IPv4 without a port
            return;
        }
        int colon = s.lastIndexOf(':', to - 1);
        if (colon > from) {
            long port = Http.number(s, colon + 1, to);
            int ipFrom = s.charAt(from) == '[' ? from + 1 : from;
            int ipTo = s.charAt(colon - 1) == ']' ? colon - 1 : colon;
            if (port >= 0 && port <= 65_535 && Ips.isIp(s, ipFrom, ipTo)) {
                e.sourceIp = s.substring(ipFrom, ipTo);
                e.put("source.port", port);
                return;
            }
        }
        if (Ips.isIp(s, from, to)) {
            e.sourceIp = s.substring(from, to);
        } else if (to > from) {
            e.put("source.address", s.substring(from, to));
        }
    }

    private static int origin(String s, int pos, int end, LogEvent e) {
        int p = skipSpaces(s, pos, end);
        int paren = p;
        while (paren < end && s.charAt(paren) != '(' && s.charAt(paren) != ' ' && s.charAt(paren) != '[') {
            paren++;
        }
        if (paren == p || paren >= end || s.charAt(paren) != '(') {
            return pos;
        }
        int close = s.indexOf("): ", paren);
        if (close < 0 || close >= end) {
            return pos;
        }
        long line = Http.number(s, paren + 1, close);
        if (line < 0) {
            return pos;
        }
        e.put("log.origin.file.name", s.substring(p, paren));
        e.put("log.origin.file.line", line);
        return close + 2;
    }

    private static int osError(String s, int pos, int end, LogEvent e) {
        int p = skipSpaces(s, pos, end);
        if (p >= end || s.charAt(p) != '(') {
            return pos;
        }
        int close = s.indexOf(')', p);
        if (close < 0 || close >= end || (s.charAt(p + 1) != '-' && Http.number(s, p + 1, close) < 0)
                || (s.charAt(p + 1) == '-' && Http.number(s, p + 2, close) < 0)) {
            return pos;
        }
        int colon = s.indexOf(": ", close);
        int stop = colon < 0 || colon >= end ? -1 : colon;
        int bracket = s.indexOf(" [", close);
        if (stop < 0 || (bracket >= 0 && bracket < stop)) {
            return pos;
        }
        e.put("apache.error.os_error", s.substring(p, stop));
        return stop + 1;
    }

    private static void message(String s, int from, int to, LogEvent e, Scan scan) {
        int lineEnd = to;
        if (to - from >= 9 && s.charAt(from) == 'A' && s.charAt(from + 1) == 'H' && s.charAt(from + 7) == ':'
                && Http.number(s, from + 2, from + 7) >= 0) {
            e.put("error.code", s.substring(from, from + 7));
            from = skipSpaces(s, from + 8, to);
        }
        int ref = s.lastIndexOf(", referer: ", to - 1);
        if (ref >= from) {
            int r = ref + 11;
            if (r < to) {
                e.referrer = scan.clip(s, r, to);
            }
            to = ref;
        }
        e.message = from < to ? s.substring(from, to) : s.substring(0, lineEnd); // no text: the line itself
        if (s.startsWith(NOT_FOUND, from) && from + NOT_FOUND.length() < to) {
            e.put("file.path", s.substring(from + NOT_FOUND.length(), to)); // httpd 2.2's core 404
        }
    }

    private static int skipSpaces(String s, int i, int end) {
        while (i < end && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
