package caravan.common;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times and ages as operators type them on the command line: {@code 30d}, {@code 2h}, {@code 90m},
 * {@code 1w}, ISO-8601 durations ({@code P30D}), and instants as ISO-8601 with or without a zone
 * (UTC if none) or a plain date (its start, UTC).
 */
public final class TimeArgs {
    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(s|m|h|d|w)");

    private TimeArgs() {
    }

    /** An age: {@code 30d}, {@code 12h}, {@code 45m}, {@code 10s}, {@code 2w}, or ISO {@code P30D}. */
    public static Duration age(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofDays(7 * n);
            };
        }
        try {
            Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
            if (!d.isNegative()) {
                return d;
            }
        } catch (DateTimeParseException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("'" + text + "' is not an age: use e.g. 30d, 12h, 90m, 2w or P30D");
    }

    /**
     * An instant: relative ({@code 2h} = two hours before {@code now}) or absolute
     * ({@code 2026-11-24T04:00:00Z}, {@code 2026-11-24T04:00:00+01:00}, {@code 2026-11-24T04:00} in
     * UTC, {@code 2026-11-24} = its start in UTC).
     */
    public static Instant instant(String text, Instant now) {
        String t = text == null ? "" : text.trim();
        if (SHORT.matcher(t.toLowerCase(Locale.ROOT)).matches()) {
            return now.minus(age(t));
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try the next form
        }
        try {
            return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a time: use e.g. 2h (two hours ago), "
                    + "2026-11-24, or 2026-11-24T04:00:00Z");
        }
    }
}
