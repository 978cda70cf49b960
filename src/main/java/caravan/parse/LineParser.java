package caravan.parse;

import caravan.event.LogEvent;

/**
 * Turns one log line into a {@link LogEvent}.
 *
 * <p>Implementations are compiled once from a format (an Apache {@code LogFormat}, an nginx
 * {@code log_format}, an application pattern, JSON) and are thread-safe: all per-line state lives
 * in the event passed in.
 */
public interface LineParser {

    /**
     * Parses {@code line} into {@code event}, which the caller has {@link LogEvent#reset() reset}.
     * Fields that cannot be read from a hostile but matching line are left absent; only a line
     * that does not match the format at all fails.
     *
     * @throws ParseException when the line does not match the format
     */
    void parse(String line, LogEvent event) throws ParseException;

    /** The ECS {@code event.dataset} this parser's events belong to, e.g. {@code apache.access}. */
    String dataset();

    /** Where the line's text ends: its length without trailing CR and LF, which no format reads. */
    static int contentEnd(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return end;
    }
}
