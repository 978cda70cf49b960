package caravan.index;

import caravan.event.Timestamps;
import java.util.Locale;

/**
 * Daily index names, {@code <prefix>-<dataset>-<namespace>-YYYY.MM.DD} ({@code caravan.index.prefix},
 * {@code logs} by default), by the event's own time: a replayed line lands in the index that already
 * holds its id.
 *
 * <p>Index names must be lower case and may not contain some characters; dataset and namespace
 * come from configuration and are sanitised here rather than rejected per event.
 */
public final class IndexNames {
    private IndexNames() {
    }

    public static String daily(String dataset, String namespace, long epochMillis) {
        return daily("logs", dataset, namespace, epochMillis);
    }

    public static String daily(String prefix, String dataset, String namespace, long epochMillis) {
        return prefix + "-" + clean(dataset) + "-" + clean(namespace) + "-" + Timestamps.day(epochMillis);
    }

    /** The data stream of a dataset ({@code caravan.index.data-stream}, opt-in: see the README's trade-off). */
    public static String stream(String prefix, String dataset, String namespace) {
        return prefix + "-" + clean(dataset) + "-" + clean(namespace);
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
