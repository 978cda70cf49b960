package caravan.parse;

import caravan.event.LogEvent;
import java.time.ZoneId;

/**
 * nginx error log lines, as {@code ngx_log_error} writes them:
 *
 * <pre>
 * 2016/10/25 14:49:34 [error] 54053#0: *1 open() "/x" failed (2: No such file or directory), client: 127.0.0.1, server: localhost, request: "GET /favicon.ico HTTP/1.1", host: "localhost:8080"
 * </pre>
 *
 * <p>Fields as Filebeat's nginx error module names them: {@code log.level}, {@code process.pid},
 * {@code process.thread.id}, {@code nginx.error.connection_id} (the {@code *N}) and {@code message},
 * everything after them. The context nginx appends ({@code , client: .., server: .., request: "..",
 * upstream: "..", host: "..", referrer: ".."}) is also read into {@code source.ip},
 * {@code destination.domain}, the request fields, {@code url.domain}, {@code nginx.error.upstream}
 * and {@code http.request.referrer}. The time carries no zone: it is read in the configured one.
 */
final class NginxErrorLogParser extends ZonedLineParser {

    NginxErrorLogParser(ZoneId zone, String dataset) {
        super(zone, dataset);
    }

    @Override
    public void parse(String line, LogEvent e) throws ParseException {
        int end = LineParser.contentEnd(line);
        long t = end >= 19 ? time(line) : Times.INVALID;
        if (t == Times.INVALID) {
            throw new ParseException(0, "expected the time as 'yyyy/MM/dd HH:mm:ss' at the start of an nginx error line");
        }
        e.timestampMillis = t;
        if (end < 22 || line.charAt(19) != ' ' || line.charAt(20) != '[') {
            throw new ParseException(19, "expected ' [level]' after the time");
        }
        int close = line.indexOf(']', 21);
        if (close < 0 || close >= end || close - 21 > 8 || !isLevel(line.substring(21, close))) {
            throw new ParseException(21, "expected a level (debug, info, notice, warn, error, crit, alert, emerg)");
        }
        e.logLevel = line.substring(21, close);
        int pos = close + 1;
        if (pos < end && line.charAt(pos) == ' ') {
            pos++;
        }
        // pid#tid: then an optional *connection
        int hash = line.indexOf('#', pos);
        int colon = line.indexOf(": ", pos);
        if (hash > pos && colon > hash && colon < end) {
            long pid = Http.number(line, pos, hash);
            long tid = Http.number(line, hash + 1, colon);
            if (pid >= 0 && tid >= 0) {
                e.put("process.pid", pid);
                e.put("process.thread.id", tid);
                pos = colon + 2;
            }
        }
        if (pos < end && line.charAt(pos) == '*') {
            int sp = line.indexOf(' ', pos);
            long cid = Http.number(line, pos + 1, sp < 0 || sp > end ? end : sp);
            if (cid >= 0) {
                e.put("nginx.error.connection_id", cid);
                pos = sp < 0 || sp > end ? end : sp + 1;
            }
        }
        Scan scan = new Scan();
        e.message = pos < end ? scan.clip(line, pos, end) : line.substring(0, end);
        context(line, pos, end, e, scan);
        scan.finish(e);
    }

    /** {@code yyyy/MM/dd HH:mm:ss}. */
    private long time(String s) {
        if (s.charAt(4) != '/' || s.charAt(7) != '/' || s.charAt(10) != ' ' || s.charAt(13) != ':'
                || s.charAt(16) != ':') {
            return Times.INVALID;
        }
        int y1 = Times.two(s, 0);
        int y2 = Times.two(s, 2);
        int month = Times.two(s, 5);
        int day = Times.two(s, 8);
        int hour = Times.two(s, 11);
        int minute = Times.two(s, 14);
        int second = Times.two(s, 17);
        if ((y1 | y2 | month | day | hour | minute | second) < 0) {
            return Times.INVALID;
        }
        return Times.local(y1 * 100 + y2, month, day, hour, minute, second, 0, Times.NO_OFFSET, zone);
    }

    private static boolean isLevel(String l) {
        return switch (l) {
            case "debug", "info", "notice", "warn", "error", "crit", "alert", "emerg" -> true;
            default -> false;
        };
    }

    /**
     * The {@code , key: value} pairs nginx appends after the message, read from the first
     * {@code , client: } on; values in quotes may hold commas.
     */
    private static void context(String s, int from, int end, LogEvent e, Scan scan) {
        int i = s.indexOf(", client: ", from);
        if (i < 0 || i >= end) {
            return;
        }
        i += 2;
        while (i < end) {
            int colon = s.indexOf(": ", i);
            if (colon < 0 || colon >= end || colon - i > 16) {
                return;
            }
            String key = s.substring(i, colon);
            int v = colon + 2;
            int vEnd;
            int next;
            if (v < end && s.charAt(v) == '"') {
                int q = s.indexOf('"', v + 1);
                while (q > 0 && q < end && q + 1 < end && !s.startsWith(", ", q + 1)) {
                    q = s.indexOf('"', q + 1); // a quote inside the value: the closing one is before ", "
                }
                if (q < 0 || q >= end) {
                    return;
                }
                vEnd = q;
                v++;
                next = q + 1;
            } else {
                int comma = s.indexOf(", ", v);
                vEnd = comma < 0 || comma >= end ? end : comma;
                next = vEnd;
            }
            put(key, s, v, vEnd, e, scan);
            if (next >= end || !s.startsWith(", ", next)) {
                return;
            }
            i = next + 2;
        }
    }

    private static void put(String key, String s, int from, int to, LogEvent e, Scan scan) {
        switch (key) {
            case "client" -> {
                if (Ips.isIp(s, from, to)) {
                    e.sourceIp = s.substring(from, to);
                } else if (to > from) {
                    e.put("source.address", scan.clip(s, from, to));
                }
            }
            case "server" -> {
                if (to > from) {
                    e.put("destination.domain", scan.clip(s, from, to));
                }
            }
            case "request" -> Http.request(s, from, to, e, scan);
            case "host" -> Http.hostPort(s, from, to, "url.domain", "url.port", e);
            case "upstream" -> e.put("nginx.error.upstream", scan.clip(s, from, to));
            case "referrer" -> e.referrer = scan.clip(s, from, to);
            default -> {
                // subrequest, upstream_* and the like stay in the message
            }
        }
    }
}
