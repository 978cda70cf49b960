package caravan.parse;

import caravan.event.LogEvent;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Application text logs: the user's patterns in order (see {@link AppPatterns}), then the built-in
 * default shape, scanned by hand because it is by far the most common:
 *
 * <pre>
 * 2025-10-23 14:32:15 INFO [payment-service] Payment completed for order order_45231
 * </pre>
 *
 * i.e. an ISO 8601-like time ({@code T} or space, optional {@code .fff}/{@code ,fff} and offset),
 * a level ({@code TRACE DEBUG INFO NOTICE WARN WARNING ERROR FATAL CRITICAL SEVERE ...}, any case),
 * an optional {@code [service]} and the message, which runs to the end (joined multiline events
 * included). Times without an offset are in the configured zone. {@code message} holds the message
 * alone; a matched user pattern is named in {@code caravan.pattern}.
 */
final class AppLogParser extends ZonedLineParser {
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR",
            "ERR", "FATAL", "CRITICAL", "CRIT", "SEVERE", "ALERT", "EMERG", "EMERGENCY", "FINE", "FINER", "FINEST",
            "CONFIG");

    private final List<AppPattern> patterns;
    private final boolean useDefault;

    AppLogParser(List<AppPattern> patterns, boolean useDefault, ZoneId zone, String dataset) {
        super(zone, dataset);
        this.patterns = List.copyOf(patterns);
        this.useDefault = useDefault;
    }

    @Override
    public void parse(String line, LogEvent e) throws ParseException {
        int end = LineParser.contentEnd(line);
        if (end == 0) {
            throw new ParseException(0, "empty line");
        }
        Scan scan = new Scan();
        for (AppPattern p : patterns) {
            if (p.apply(line, end, e, scan)) {
                if (e.message == null) {
                    e.message = line;
                }
                e.put("caravan.pattern", p.name);
                scan.finish(e);
                return;
            }
        }
        if (!useDefault) {
            throw new ParseException(0, "the line does not match pattern '" + patterns.get(0).name + "'");
        }
        parseDefault(line, end, e);
        scan.finish(e);
    }

    /** The built-in shape; the event is untouched when the line does not fit. */
    private void parseDefault(String s, int end, LogEvent e) throws ParseException {
        Times.Result r = new Times.Result();
        int p = Times.iso(s, 0, end, zone, r);
        if (p < 0) {
            throw new ParseException(0, (patterns.isEmpty() ? "" : "no pattern matches and ")
                    + "the line does not start with a time like 2025-10-23 14:32:15");
        }
        int levelStart = skipSpaces(s, p, end);
        if (levelStart == p) {
            throw new ParseException(p, "expected a space after the time");
        }
        int levelEnd = levelStart;
        while (levelEnd < end && levelEnd - levelStart <= 9 && Character.isLetter(s.charAt(levelEnd))) {
            levelEnd++;
        }
        if (levelEnd == levelStart || (levelEnd < end && s.charAt(levelEnd) != ' ')
                || !LEVELS.contains(s.substring(levelStart, levelEnd).toUpperCase(Locale.ROOT))) {
            throw new ParseException(levelStart, (patterns.isEmpty() ? "" : "no pattern matches and ")
                    + "expected a log level (INFO, WARN, ERROR, ...) after the time");
        }
        e.timestampMillis = r.millis;
        e.logLevel = s.substring(levelStart, levelEnd);
        int i = skipSpaces(s, levelEnd, end);
        if (i < end && s.charAt(i) == '[') {
            int close = s.indexOf(']', i);
            if (close > i + 1 && close < end && close - i <= 256) {
                String service = s.substring(i + 1, close).trim();
                if (!service.isEmpty()) {
                    e.put("service.name", service);
                }
                i = skipSpaces(s, close + 1, end);
            }
        }
        e.message = i < end ? s.substring(i, end) : s.substring(0, end);
    }

    private static int skipSpaces(String s, int i, int end) {
        while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
        return i;
    }
}
