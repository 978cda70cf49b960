package caravan.alert;

import caravan.common.SettingValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/** The {@code caravan.alert.*} settings, read once at start-up. */
public record AlertSettings(Path rulesFile, Duration rulesReload, Duration window, Duration delay, Duration interval,
        int catchUpWindows, int historyWindows, String sourceIndices, int topN, int endpoints, long slowMs, Duration leaseTtl,
        String indexPrefix, int replicas) {

    public static AlertSettings from(Function<String, String> prop) {
        SettingValues s = new SettingValues(prop);
        return new AlertSettings(Path.of(s.string("caravan.alert.rules-file")),
                s.positiveSeconds("caravan.alert.rules-reload-seconds"),
                s.positiveSeconds("caravan.alert.window-seconds"),
                s.seconds("caravan.alert.delay-seconds"),
                s.positiveSeconds("caravan.alert.interval-seconds"),
                (int) s.positive("caravan.alert.catch-up-windows"),
                (int) s.positive("caravan.alert.history-windows"),
                s.string("caravan.alert.source-indices"),
                (int) s.positive("caravan.alert.top-n"),
                (int) s.positive("caravan.alert.endpoints"),
                s.number("caravan.alert.slow-ms"),
                s.positiveSeconds("caravan.alert.lease-ttl-seconds"),
                s.string("caravan.alert.index-prefix"),
                s.integer("caravan.alert.stats-replicas"));
    }

    public StatsQuery query() {
        return new StatsQuery(window, topN, endpoints, slowMs);
    }
}
