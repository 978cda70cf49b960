package caravan.event;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** UTC timestamp formatting for documents and daily index names. */
public final class Timestamps {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");

    private Timestamps() {
    }

    /** ISO-8601 in UTC with milliseconds, e.g. {@code 2015-05-17T10:05:03.000Z}. */
    public static String iso(long epochMillis) {
        long secs = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        long days = Math.floorDiv(secs, 86_400L);
        int secOfDay = (int) Math.floorMod(secs, 86_400L);
        LocalDate d = LocalDate.ofEpochDay(days);
        int year = d.getYear();
        if (year < 0 || year > 9999) {
            return Instant.ofEpochMilli(epochMillis).toString();
        }
        char[] c = "0000-00-00T00:00:00.000Z".toCharArray();
        put(c, 0, year, 4);
        put(c, 5, d.getMonthValue(), 2);
        put(c, 8, d.getDayOfMonth(), 2);
        put(c, 11, secOfDay / 3600, 2);
        put(c, 14, secOfDay / 60 % 60, 2);
        put(c, 17, secOfDay % 60, 2);
        put(c, 20, millis, 3);
        return new String(c);
    }

    /** The {@code YYYY.MM.DD} suffix of the daily index that holds an event at this time. */
    public static String day(long epochMillis) {
        return LocalDate.ofEpochDay(Math.floorDiv(epochMillis, 86_400_000L)).format(DAY);
    }

    public static String day(Instant instant) {
        return DAY.format(instant.atZone(ZoneOffset.UTC));
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
