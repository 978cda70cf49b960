package caravan.index;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * Which dead letters {@code caravan replay} sends back. Every criterion given must match; none
 * given matches everything.
 *
 * @param reason a substring of {@code caravan.dlq.reason}, case-insensitive
 * @param stage  {@code caravan.dlq.stage}, exactly (case-insensitive)
 * @param since  failures at or after this time
 * @param until  failures before this time
 * @param source the envelope's {@code caravan.source} ({@code caravan.dlq.source}), exactly
 */
public record ReplayFilter(String reason, String stage, Instant since, Instant until, String source) {
    public static final ReplayFilter ALL = new ReplayFilter(null, null, null, null, null);

    /**
     * @param headers         the record's {@code caravan.dlq.*} headers
     * @param recordTimestamp the Kafka timestamp, used when the failure time header is missing
     */
    public boolean matches(Map<String, String> headers, long recordTimestamp) {
        if (reason != null && !lower(headers.get(DlqHeaders.REASON)).contains(reason.toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (stage != null && !stage.equalsIgnoreCase(headers.get(DlqHeaders.STAGE))) {
            return false;
        }
        if (source != null && !source.equals(headers.get(DlqHeaders.SOURCE))) {
            return false;
        }
        if (since != null || until != null) {
            Instant at = failedAt(headers, recordTimestamp);
            if (since != null && at.isBefore(since)) {
                return false;
            }
            if (until != null && !at.isBefore(until)) {
                return false;
            }
        }
        return true;
    }

    /** When the record failed: its failure-time header, else the Kafka timestamp. */
    static Instant failedAt(Map<String, String> headers, long recordTimestamp) {
        String v = headers.get(DlqHeaders.FAILED_AT);
        if (v != null) {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                // fall back to the timestamp
            }
        }
        return Instant.ofEpochMilli(recordTimestamp);
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (reason != null) {
            b.append(" reason~'").append(reason).append('\'');
        }
        if (stage != null) {
            b.append(" stage=").append(stage);
        }
        if (source != null) {
            b.append(" source=").append(source);
        }
        if (since != null) {
            b.append(" since=").append(since);
        }
        if (until != null) {
            b.append(" until=").append(until);
        }
        return b.length() == 0 ? "all" : b.toString().trim();
    }
}
