package caravan.ship;

import caravan.common.SettingValues;
import java.util.function.Function;

/**
 * The {@code caravan.ship.*} settings the ship route needs as values; the Kafka producer's options
 * stay placeholders in its endpoint URI.
 *
 * @param throttlePerSecond lines per second through the ship route, 0 for no limit
 */
public record ShipSettings(long throttlePerSecond) {

    public static ShipSettings from(Function<String, String> prop) {
        return new ShipSettings(new SettingValues(prop).number("caravan.ship.throttle.per-second"));
    }
}
