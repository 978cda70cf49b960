package caravan.index;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Retention by the date in Caravan's daily index names, {@code logs-<dataset>-<namespace>-YYYY.MM.DD}
 * (see {@link IndexNames}). Only names of exactly that shape are considered: data-stream backing
 * indices ({@code .ds-logs-…}), other tools' {@code logs-*} indices and anything without a valid date
 * are never touched.
 */
public final class IndexRetention {
    private static final String DAILY = "-[a-z0-9._]+-[a-z0-9._]+-(\\d{4})\\.(\\d{2})\\.(\\d{2})";
    private static final Pattern LOGS = daily("logs");

    private IndexRetention() {
    }

    /** Caravan's daily index names under {@code prefix} ({@code caravan.index.prefix}). */
    public static Pattern daily(String prefix) {
        return Pattern.compile(Pattern.quote(prefix) + DAILY);
    }

    /** The day in a Caravan daily index name; empty for any other name. */
    public static Optional<LocalDate> day(String index) {
        return day(LOGS, index);
    }

    /** The day in a daily index name of the given shape; empty for any other name. */
    public static Optional<LocalDate> day(Pattern daily, String index) {
        Matcher m = daily.matcher(index);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    Integer.parseInt(m.group(3))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Whether the whole day of the index lies before {@code cutoff} (its last event is older). */
    public static boolean expired(String index, Instant cutoff) {
        return expired(LOGS, index, cutoff);
    }

    public static boolean expired(Pattern daily, String index, Instant cutoff) {
        return day(daily, index).map(d -> !d.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(cutoff))
                .orElse(false);
    }

    /** The expired Caravan indices among {@code names}, oldest first. */
    public static List<String> expired(Collection<String> names, Instant cutoff) {
        return expired(LOGS, names, cutoff);
    }

    /** The expired indices of the given shape among {@code names}, oldest first. */
    public static List<String> expired(Pattern daily, Collection<String> names, Instant cutoff) {
        List<String> out = new ArrayList<>();
        for (String n : names) {
            if (expired(daily, n, cutoff)) {
                out.add(n);
            }
        }
        out.sort((a, b) -> {
            int c = day(daily, a).orElseThrow().compareTo(day(daily, b).orElseThrow());
            return c != 0 ? c : a.compareTo(b);
        });
        return out;
    }
}
