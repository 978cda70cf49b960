package caravan.parse;

import java.time.LocalDate;

/** Apache's {@code %t}: {@code 17/May/2015:10:05:03 +0000}, to epoch milliseconds (UTC). */
final class ApacheTime {
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    private ApacheTime() {
    }

    static long parse(String line, String t, int pos) throws ParseException {
        // dd/MMM/yyyy:HH:mm:ss +hhmm
        if (t.length() < 20 || t.charAt(2) != '/' || t.charAt(6) != '/' || t.charAt(11) != ':') {
            throw new ParseException(pos, "time '" + t + "' is not dd/MMM/yyyy:HH:mm:ss zone");
        }
        int day = digits(t, 0, 2, pos);
        int month = MONTHS.indexOf(t.substring(3, 6)) / 3 + 1;
        if (month <= 0 || MONTHS.indexOf(t.substring(3, 6)) % 3 != 0) {
            throw new ParseException(pos, "unknown month '" + t.substring(3, 6) + "'");
        }
        int year = digits(t, 7, 4, pos);
        int hour = digits(t, 12, 2, pos);
        int min = digits(t, 15, 2, pos);
        int sec = digits(t, 18, 2, pos);
        int offsetMinutes = 0;
        if (t.length() >= 26 && t.charAt(20) == ' ') {
            char sign = t.charAt(21);
            int hh = digits(t, 22, 2, pos);
            int mm = digits(t, 24, 2, pos);
            offsetMinutes = (sign == '-' ? -1 : 1) * (hh * 60 + mm);
        }
        if (day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) {
            throw new ParseException(pos, "time '" + t + "' is out of range");
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (java.time.DateTimeException ex) {
            throw new ParseException(pos, "time '" + t + "' is not a date");
        }
        long secs = epochDay * 86_400L + hour * 3600L + min * 60L + sec - offsetMinutes * 60L;
        return secs * 1000L;
    }

    private static int digits(String s, int from, int n, int pos) throws ParseException {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new ParseException(pos, "time has '" + c + "' where a digit belongs");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
