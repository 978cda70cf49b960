package caravan.parse;

import caravan.event.LogEvent;
import java.time.ZoneId;

/**
 * The pieces of one event time, gathered while a line is scanned.
 *
 * <p>Needed because one Apache format may spread the time over several directives, as the Apache
 * manual itself suggests: {@code [%{%d/%b/%Y %T}t.%{msec_frac}t %{%z}t]}. Lives for one line.
 */
final class TimeParts {
    int year = -1;
    int month = -1;
    int day = -1;
    int dayOfYear = -1;
    int hour = -1;
    int hour12 = -1;
    int pm = -1;
    int minute = -1;
    int second = -1;
    int fracNanos = -1;
    int offset = Times.NO_OFFSET;
    long epochMillis = LogEvent.ABSENT;
    /** The epoch came in whole seconds, so a separate fraction adds to it. */
    boolean epochSeconds;

    boolean isEmpty() {
        return year < 0 && month < 0 && day < 0 && dayOfYear < 0 && hour < 0 && hour12 < 0 && minute < 0
                && second < 0 && epochMillis == LogEvent.ABSENT && fracNanos < 0;
    }

    /** Epoch millis, or {@link LogEvent#ABSENT} when the parts do not make a time. */
    long resolve(ZoneId zone) {
        if (epochMillis != LogEvent.ABSENT) {
            return epochSeconds && fracNanos > 0 ? epochMillis + fracNanos / 1_000_000 : epochMillis;
        }
        int m = month;
        int d = day;
        if (year < 0) {
            return LogEvent.ABSENT;
        }
        if ((m < 0 || d < 0) && dayOfYear > 0) {
            int left = dayOfYear;
            m = 1;
            while (m <= 12 && left > Times.daysIn(year, m)) {
                left -= Times.daysIn(year, m);
                m++;
            }
            d = left;
        }
        int h = hour;
        if (h < 0 && hour12 >= 1 && hour12 <= 12) {
            h = hour12 % 12 + (pm == 1 ? 12 : 0);
        }
        if (m < 1 || m > 12 || d < 1 || h < 0) {
            return LogEvent.ABSENT;
        }
        long t = Times.local(year, m, d, h, Math.max(minute, 0), Math.max(second, 0), Math.max(fracNanos, 0), offset,
                zone);
        return t == Times.INVALID ? LogEvent.ABSENT : t;
    }
}
