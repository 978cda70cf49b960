package caravan.index;

import caravan.event.Timestamps;
import java.util.Locale;

/**
 * Daily index names, {@code logs-<dataset>-<namespace>-YYYY.MM.DD}, by the event's own time.
 *
 * <p>Index names must be lower case and may not contain some characters; dataset and namespace
 * come from configuration and are sanitised here rather than rejected per event.
 */
public final class IndexNames {
    private IndexNames() {
    }

    public static String daily(String dataset, String namespace, long epochMillis) {
        return "logs-" + clean(dataset) + "-" + clean(namespace) + "-" + Timestamps.day(epochMillis);
    }

    static String clean(String part) {
        if (part == null || part.isBlank()) {
            return "generic";
        }
        String lower = part.toLowerCase(Locale.ROOT);
        StringBuilder sb = new StringBuilder(lower.length());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_';
            sb.append(ok ? c : '_');
        }
        return sb.toString();
    }
}
