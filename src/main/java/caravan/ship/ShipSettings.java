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
 * @param linesPerRecord most lines of one file in one Kafka record (1: an envelope per record)
 * @param maxRecordBytes a record takes no further line past about this many bytes
 * @param fileFieldsOnce a record of several lines carries its file's fields once, in a header
 */
public record ShipSettings(long throttlePerSecond, long tailCopyWindowMs, int linesPerRecord, long maxRecordBytes,
                           boolean fileFieldsOnce) {

    public static ShipSettings from(Function<String, String> prop) {
        SettingValues s = new SettingValues(prop);
        return new ShipSettings(s.number("caravan.ship.throttle.per-second"), s.number("caravan.ship.tail.copy-window-ms"),
                (int) s.number("caravan.ship.kafka.lines-per-record"), s.number("caravan.ship.kafka.max-record-bytes"),
                s.bool("caravan.ship.kafka.file-fields-once"));
    }
}
