package caravan.ship;

import caravan.common.SettingValues;
import java.util.function.Function;

/**
 * The {@code caravan.ship.*} settings the ship route needs as values; the Kafka producer's options
 * stay placeholders in its endpoint URI.
 *
 * @param throttlePerSecond lines per second through the ship route, 0 for no limit
 * @param tailCopyWindowMs the tail: component's copyWindow: how long a copy of a file being read is
 *     held in case it is a copytruncate copy (a route's own copyWindow wins)
 */
public record ShipSettings(long throttlePerSecond, long tailCopyWindowMs) {

    public static ShipSettings from(Function<String, String> prop) {
        SettingValues s = new SettingValues(prop);
        return new ShipSettings(s.number("caravan.ship.throttle.per-second"), s.number("caravan.ship.tail.copy-window-ms"));
    }
}
