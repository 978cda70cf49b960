package caravan.alert;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/** The {@code caravan.alert.*} settings, read once at start-up. */
public record AlertSettings(Path rulesFile, Duration rulesReload, Duration window, Duration delay, Duration interval,
        int catchUpWindows, int historyWindows, String sourceIndices, int topN, int endpoints, long slowMs, Duration leaseTtl,
        String indexPrefix, int replicas) {

    public static AlertSettings from(Function<String, String> prop) {
        return new AlertSettings(Path.of(prop.apply("caravan.alert.rules-file")),
                Duration.ofSeconds(positive(prop, "caravan.alert.rules-reload-seconds")),
                Duration.ofSeconds(positive(prop, "caravan.alert.window-seconds")),
                Duration.ofSeconds(Long.parseLong(prop.apply("caravan.alert.delay-seconds").trim())),
                Duration.ofSeconds(positive(prop, "caravan.alert.interval-seconds")),
                (int) positive(prop, "caravan.alert.catch-up-windows"),
                (int) positive(prop, "caravan.alert.history-windows"),
                prop.apply("caravan.alert.source-indices").trim(),
                (int) positive(prop, "caravan.alert.top-n"),
                (int) positive(prop, "caravan.alert.endpoints"),
                Long.parseLong(prop.apply("caravan.alert.slow-ms").trim()),
                Duration.ofSeconds(positive(prop, "caravan.alert.lease-ttl-seconds")),
                prop.apply("caravan.alert.index-prefix").trim(),
                Integer.parseInt(prop.apply("caravan.alert.stats-replicas").trim()));
    }

    private static long positive(Function<String, String> prop, String key) {
        long v = Long.parseLong(prop.apply(key).trim());
        if (v <= 0) {
            throw new IllegalArgumentException("bad value for '" + key + "': " + v + " must be at least 1");
        }
        return v;
    }

    public StatsQuery query() {
        return new StatsQuery(window, topN, endpoints, slowMs);
    }
}
