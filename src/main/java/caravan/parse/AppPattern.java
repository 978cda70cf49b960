package caravan.parse;

import caravan.event.LogEvent;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One user pattern for application text logs, compiled to RE2/J, which matches in time linear in the
 * line whatever the pattern: a pattern a user gets wrong can be slow, never stuck.
 *
 * <h2>Syntax</h2>
 * An RE2 regular expression matched against the whole line (multiline events included: {@code .}
 * also matches a newline), in which
 * <ul>
 *   <li>{@code %{name}} or {@code %{name:type}} captures a field. Types: {@code notspace} (the default,
 *       {@code \S+}), {@code word} ({@code \w+}), {@code int} (stored as a number), {@code number}
 *       (decimal, stored as a number), {@code ip}, {@code timestamp} (ISO 8601-like, the default for
 *       the name {@code timestamp}), {@code level} (letters, the default for {@code level}),
 *       {@code data} (shortest run of anything) and {@code rest} (everything to the end, the default
 *       for {@code message});</li>
 *   <li>{@code (?P<name>re)} captures with the user's own expression ({@code __} in the name stands
 *       for a dot: {@code (?P<trace__id>\w+)} fills {@code trace.id});</li>
 *   <li>{@code %%} is a literal percent sign.</li>
 * </ul>
 * Names: {@code timestamp}/{@code time} become {@code @timestamp}, {@code level} {@code log.level},
 * {@code service} {@code service.name}, {@code message}/{@code msg} {@code message},
 * {@code logger} {@code log.logger}, {@code thread} {@code process.thread.name}, {@code pid}
 * {@code process.pid}, {@code trace_id}/{@code span_id} {@code trace.id}/{@code span.id}; a name with
 * a dot is taken as an ECS name as is; any other name goes under {@code labels.}.
 */
final class AppPattern {
    private static final int STRING = 0, LONG = 1, DOUBLE = 2, IP = 3, TIME = 4;
    /** Prefix of the group names made for {@code %{...}}; the user's own groups cannot start with it. */
    private static final String OURS = "caravan_";

    final String name;
    private final Pattern re;
    private final String[] groupField; // by group number (1-based); null for unnamed groups
    private final int[] groupType;
    private final ZoneId zone;
    private final DateTimeFormatter timeFormat;

    private AppPattern(String name, Pattern re, String[] groupField, int[] groupType, ZoneId zone,
                       DateTimeFormatter timeFormat) {
        this.name = name;
        this.re = re;
        this.groupField = groupField;
        this.groupType = groupType;
        this.zone = zone;
        this.timeFormat = timeFormat;
    }

    /**
     * @param timeFormat a {@link DateTimeFormatter} pattern for the timestamp, or null for ISO 8601-like
     * @throws IllegalArgumentException with the reason; the caller adds file and line
     */
    static AppPattern compile(String name, String source, ZoneId zone, String timeFormat) {
        DateTimeFormatter tf = null;
        if (timeFormat != null) {
            try {
                tf = DateTimeFormatter.ofPattern(timeFormat, Locale.ROOT);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("time_format '" + timeFormat + "': " + e.getMessage(), e);
            }
        }
        // Translate %{name:type} into named groups; the group names are ours (f1, f2, ...), the field
        // names are kept aside because they may hold dots, which group names may not.
        if (source.contains("(?P<" + OURS)) {
            throw new IllegalArgumentException("group names starting with '" + OURS + "' are reserved");
        }
        List<String> fields = new ArrayList<>();
        List<Integer> types = new ArrayList<>();
        StringBuilder re = new StringBuilder("(?s)");
        int i = 0;
        while (i < source.length()) {
            char c = source.charAt(i);
            if (c == '%' && i + 1 < source.length() && source.charAt(i + 1) == '%') {
                re.append('%');
                i += 2;
                continue;
            }
            if (c != '%' || i + 1 >= source.length() || source.charAt(i + 1) != '{') {
                re.append(c);
                i++;
                continue;
            }
            int close = source.indexOf('}', i);
            if (close < 0) {
                throw new IllegalArgumentException("'%{' at column " + (i + 1) + " is never closed");
            }
            String spec = source.substring(i + 2, close);
            i = close + 1;
            int colon = spec.indexOf(':');
            String field = (colon < 0 ? spec : spec.substring(0, colon)).trim();
            String type = colon < 0 ? defaultType(field) : spec.substring(colon + 1).trim();
            if (!validName(field)) {
                throw new IllegalArgumentException("'%{" + spec + "}': a field name is letters, digits, '_', '-'"
                        + " and dots between them");
            }
            String expr = switch (type) {
                case "notspace" -> "\\S+";
                case "word" -> "\\w+";
                case "int" -> "[+-]?\\d+";
                case "number" -> "[+-]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?";
                case "ip" -> "[0-9A-Fa-f:.]+";
                case "timestamp" -> tf != null ? ".+?"
                        : "\\d{4}-\\d\\d-\\d\\d[T ]\\d\\d:\\d\\d(?::\\d\\d(?:[.,]\\d+)?)?(?: ?(?:Z|[+-]\\d\\d(?::?\\d\\d)?))?";
                case "level" -> "[A-Za-z]+";
                case "data" -> ".*?";
                case "rest" -> ".*";
                default -> throw new IllegalArgumentException("'%{" + spec + "}': unknown type '" + type
                        + "' (notspace, word, int, number, ip, timestamp, level, data, rest)");
            };
            fields.add(field);
            types.add(switch (type) {
                case "int" -> LONG;
                case "number" -> DOUBLE;
                case "ip" -> IP;
                case "timestamp" -> TIME;
                default -> isTimeName(field) ? TIME : STRING;
            });
            re.append("(?P<").append(OURS).append(fields.size()).append('>').append(expr).append(')');
        }
        PatternSize.check(re);
        Pattern p;
        try {
            p = Pattern.compile(re.toString());
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("not a valid RE2 expression: " + e.getMessage(), e);
        }
        int n = p.groupCount();
        String[] groupField = new String[n + 1];
        int[] groupType = new int[n + 1];
        for (Map.Entry<String, Integer> g : p.namedGroups().entrySet()) {
            String gname = g.getKey();
            int idx = g.getValue();
            String field;
            int type;
            int k = ours(gname, fields.size());
            if (k >= 0) {
                field = fields.get(k);
                type = types.get(k);
            } else {
                field = gname.replace("__", ".");
                if (!validName(field)) {
                    throw new IllegalArgumentException("group name '" + gname + "' is not a field name ('__' stands for"
                            + " a dot, at most 8 of them)");
                }
                type = isTimeName(field) ? TIME : STRING;
            }
            groupField[idx] = ecsName(field);
            groupType[idx] = type;
        }
        if (n == 0 || p.namedGroups().isEmpty()) {
            throw new IllegalArgumentException("the pattern captures nothing: use %{name} or (?P<name>...)");
        }
        return new AppPattern(name, p, groupField, groupType, zone, tf);
    }

    /** The index of a {@code %{...}} field from its group name, or -1 for a group the user named. */
    private static int ours(String gname, int count) {
        if (!gname.startsWith(OURS) || gname.length() == OURS.length() || gname.length() > OURS.length() + 6) {
            return -1;
        }
        long k = Http.number(gname, OURS.length(), gname.length());
        return k >= 1 && k <= count ? (int) k - 1 : -1;
    }

    private static boolean validName(String f) {
        if (f.isEmpty() || f.endsWith(".") || f.startsWith(".") || f.contains("..") || f.length() > 128
                || f.chars().filter(c -> c == '.').count() > 8) {
            return false; // more than 9 levels is no ECS name, and documents have a depth limit
        }
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                    || c == '-' || (c == '@' && i == 0))) {
                return false;
            }
        }
        return true;
    }

    private static String defaultType(String field) {
        if (isTimeName(field)) {
            return "timestamp";
        }
        return switch (field) {
            case "level" -> "level";
            case "message", "msg" -> "rest";
            default -> "notspace";
        };
    }

    private static boolean isTimeName(String field) {
        return field.equals("timestamp") || field.equals("time") || field.equals("@timestamp");
    }

    /** Where a captured name lands in the document. */
    static String ecsName(String field) {
        return switch (field) {
            case "timestamp", "time", "@timestamp" -> "@timestamp";
            case "level", "log.level" -> "log.level";
            case "service", "service.name" -> "service.name";
            case "message", "msg" -> "message";
            case "logger" -> "log.logger";
            case "thread" -> "process.thread.name";
            case "pid" -> "process.pid";
            case "trace_id" -> "trace.id";
            case "span_id" -> "span.id";
            default -> field.indexOf('.') > 0 ? field : "labels." + field;
        };
    }

    /** Fills {@code e} if the whole line matches; false otherwise (the event is then untouched). */
    boolean apply(String line, int end, LogEvent e, Scan scan) {
        Matcher m = re.matcher(end == line.length() ? line : line.substring(0, end));
        if (!m.matches()) {
            return false;
        }
        for (int g = 1; g < groupField.length; g++) {
            String field = groupField[g];
            if (field == null) {
                continue;
            }
            String v = m.group(g);
            if (v == null || v.isEmpty() || v.equals("-")) {
                continue;
            }
            switch (groupType[g]) {
                case TIME -> {
                    long t = time(v);
                    if (t == Times.INVALID) {
                        scan.invalid("@timestamp");
                    } else {
                        e.timestampMillis = t;
                    }
                }
                case LONG -> {
                    try {
                        e.put(field, Long.parseLong(v.startsWith("+") ? v.substring(1) : v));
                    } catch (NumberFormatException x) {
                        scan.invalid(field);
                    }
                }
                case DOUBLE -> {
                    try {
                        e.put(field, Double.parseDouble(v));
                    } catch (NumberFormatException x) {
                        scan.invalid(field);
                    }
                }
                case IP -> {
                    if (Ips.isIp(v)) {
                        e.put(field, v);
                    } else {
                        scan.invalid(field);
                    }
                }
                default -> {
                    switch (field) {
                        case "log.level" -> e.logLevel = scan.clip(v);
                        case "message" -> e.message = v;
                        case "process.pid" -> {
                            long pid = Http.number(v, 0, v.length());
                            if (pid >= 0) {
                                e.put(field, pid);
                            } else {
                                scan.invalid(field);
                            }
                        }
                        default -> e.put(field, scan.clip(v));
                    }
                }
            }
        }
        return true;
    }

    private long time(String v) {
        if (timeFormat == null) {
            Times.Result r = new Times.Result();
            return Times.iso(v, 0, v.length(), zone, r) == v.length() ? r.millis : Times.INVALID;
        }
        try {
            TemporalAccessor t = timeFormat.parse(v);
            if (t.isSupported(ChronoField.INSTANT_SECONDS)) {
                return Instant.from(t).toEpochMilli();
            }
            return ZonedDateTime.of(LocalDateTime.from(t), zone).toInstant().toEpochMilli();
        } catch (DateTimeException | ArithmeticException x) {
            return Times.INVALID;
        }
    }
}
