package caravan.parse;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Date arithmetic and the timestamp shapes logs use, without {@code java.time} parsing on the hot
 * path (a {@code DateTimeFormatter} costs more per line than the whole Apache scan).
 *
 * <p>All methods return epoch milliseconds in UTC. A time written without an offset is read in the
 * zone the source is configured with.
 */
final class Times {
    /** Returned by {@link #local} and the scanners when a value is not a time. */
    static final long INVALID = Long.MIN_VALUE + 1;
    /** "No offset in the text": the configured zone applies. */
    static final int NO_OFFSET = Integer.MIN_VALUE;

    private Times() {
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the usual era-based civil calendar). */
    static long epochDay(int year, int month, int day) {
        long y = month <= 2 ? year - 1 : year;
        long era = Math.floorDiv(y, 400);
        long yearOfEra = y - era * 400;
        int shiftedMonth = month > 2 ? month - 3 : month + 9; // March-based, so Feb 29 is last
        long dayOfYear = (153L * shiftedMonth + 2) / 5 + day - 1;
        long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097 + dayOfEra - 719_468;
    }

    static boolean validDate(int year, int month, int day) {
        return year >= 0 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
    }

    static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /**
     * Epoch millis of a wall-clock time; {@code offsetSeconds} is the written offset or
     * {@link #NO_OFFSET}, in which case {@code zone} decides. {@link #INVALID} if out of range.
     */
    static long local(int year, int month, int day, int hour, int minute, int second, int nanos, int offsetSeconds,
                      ZoneId zone) {
        if (!validDate(year, month, day) || hour > 23 || minute > 59 || second > 60 || hour < 0 || minute < 0
                || second < 0) {
            return INVALID;
        }
        if (second == 60) {
            second = 59; // a leap second reads as the second before it
        }
        int offset = offsetSeconds;
        if (offset == NO_OFFSET) {
            if (zone instanceof ZoneOffset z) {
                offset = z.getTotalSeconds();
            } else {
                offset = zone.getRules().getOffset(LocalDateTime.of(year, month, day, hour, minute, second))
                        .getTotalSeconds();
            }
        }
        long secs = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offset;
        return secs * 1000L + nanos / 1_000_000;
    }

    /** 1..12 for an English month name or abbreviation at {@code s[at, at+len)}, else -1. */
    static int month(String s, int at, int len) {
        if (len < 3) {
            return -1;
        }
        int a = lower(s.charAt(at));
        int b = lower(s.charAt(at + 1));
        int c = lower(s.charAt(at + 2));
        int m = switch ((a << 16) | (b << 8) | c) {
            case ('j' << 16) | ('a' << 8) | 'n' -> 1;
            case ('f' << 16) | ('e' << 8) | 'b' -> 2;
            case ('m' << 16) | ('a' << 8) | 'r' -> 3;
            case ('a' << 16) | ('p' << 8) | 'r' -> 4;
            case ('m' << 16) | ('a' << 8) | 'y' -> 5;
            case ('j' << 16) | ('u' << 8) | 'n' -> 6;
            case ('j' << 16) | ('u' << 8) | 'l' -> 7;
            case ('a' << 16) | ('u' << 8) | 'g' -> 8;
            case ('s' << 16) | ('e' << 8) | 'p' -> 9;
            case ('o' << 16) | ('c' << 8) | 't' -> 10;
            case ('n' << 16) | ('o' << 8) | 'v' -> 11;
            case ('d' << 16) | ('e' << 8) | 'c' -> 12;
            default -> -1;
        };
        if (m < 0 || len == 3) {
            return m;
        }
        String full = FULL_MONTHS[m - 1];
        return len == full.length() && s.regionMatches(true, at, full, 0, len) ? m : -1;
    }

    private static final String[] FULL_MONTHS = {"january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december"};

    private static int lower(char c) {
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    }

    static int digit(String s, int i) {
        char c = s.charAt(i);
        return c >= '0' && c <= '9' ? c - '0' : -1;
    }

    /** Two ASCII digits at {@code i} as a number, or a negative value. */
    static int two(String s, int i) {
        return digit(s, i) * 10 + digit(s, i + 1) | (digit(s, i) | digit(s, i + 1)) >> 31;
    }

    /**
     * The common log format time {@code dd/MMM/yyyy:HH:mm:ss +hhmm} (Apache {@code %t} without its
     * brackets, nginx {@code $time_local}) at {@code s[at, at+26)}; {@link #INVALID} if it is not one.
     */
    static long clf(String s, int at) {
        if (at + 26 > s.length() || s.charAt(at + 2) != '/' || s.charAt(at + 6) != '/' || s.charAt(at + 11) != ':'
                || s.charAt(at + 14) != ':' || s.charAt(at + 17) != ':' || s.charAt(at + 20) != ' ') {
            return INVALID;
        }
        int day = two(s, at);
        int month = month(s, at + 3, 3);
        int century = two(s, at + 7);
        int yy = two(s, at + 9);
        int year = century * 100 + yy;
        int hour = two(s, at + 12);
        int minute = two(s, at + 15);
        int second = two(s, at + 18);
        char sign = s.charAt(at + 21);
        int oh = two(s, at + 22);
        int om = two(s, at + 24);
        if ((sign != '+' && sign != '-') || (day | month | century | yy | hour | minute | second | oh | om) < 0
                || oh > 23 || om > 59) {
            return INVALID;
        }
        int offset = (sign == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        return local(year, month, day, hour, minute, second, 0, offset, ZoneOffset.UTC);
    }

    /**
     * ISO-8601-like times as applications and nginx write them: {@code yyyy-MM-dd}, then {@code T} or
     * a space, {@code HH:mm[:ss[(.|,)fraction]]}, then optionally {@code Z}, {@code ±hh}, {@code ±hhmm}
     * or {@code ±hh:mm} (a space before the offset is allowed). Stores the epoch millis in
     * {@code out.millis} and returns the index after the time, or -1 if there is no such time at
     * {@code at}.
     */
    static int iso(String s, int at, int to, ZoneId zone, Result out) {
        if (at + 16 > to || s.charAt(at + 4) != '-' || s.charAt(at + 7) != '-'
                || (s.charAt(at + 10) != 'T' && s.charAt(at + 10) != ' ' && s.charAt(at + 10) != 't')
                || s.charAt(at + 13) != ':') {
            return -1;
        }
        int year = two(s, at) * 100 + two(s, at + 2);
        int month = two(s, at + 5);
        int day = two(s, at + 8);
        int hour = two(s, at + 11);
        int minute = two(s, at + 14);
        if ((two(s, at) | two(s, at + 2) | month | day | hour | minute) < 0) {
            return -1;
        }
        int i = at + 16;
        int second = 0;
        int nanos = 0;
        if (i + 3 <= to && s.charAt(i) == ':' && two(s, i + 1) >= 0) {
            second = two(s, i + 1);
            i += 3;
            if (i + 1 < to && (s.charAt(i) == '.' || s.charAt(i) == ',') && digit(s, i + 1) >= 0) {
                i++;
                int scale = 100_000_000;
                while (i < to && digit(s, i) >= 0) {
                    nanos += digit(s, i) * scale;
                    scale /= 10;
                    i++;
                }
            }
        }
        int offset = NO_OFFSET;
        int j = i < to && s.charAt(i) == ' ' && i + 1 < to && (s.charAt(i + 1) == '+' || s.charAt(i + 1) == '-')
                ? i + 1 : i;
        if (j < to) {
            char c = s.charAt(j);
            if (c == 'Z' || c == 'z') {
                offset = 0;
                i = j + 1;
            } else if ((c == '+' || c == '-') && j + 3 <= to && two(s, j + 1) >= 0) {
                int oh = two(s, j + 1);
                int om = 0;
                int k = j + 3;
                if (k + 3 <= to && s.charAt(k) == ':' && two(s, k + 1) >= 0) {
                    om = two(s, k + 1);
                    k += 3;
                } else if (k + 2 <= to && two(s, k) >= 0) {
                    om = two(s, k);
                    k += 2;
                }
                if (oh > 18 || om > 59) {
                    return -1;
                }
                offset = (c == '-' ? -1 : 1) * (oh * 3600 + om * 60);
                i = k;
            }
        }
        long millis = local(year, month, day, hour, minute, second, nanos, offset, zone);
        if (millis == INVALID) {
            return -1;
        }
        out.millis = millis;
        return i;
    }

    /**
     * A decimal number of {@code unitNanos}-sized units ({@code 0.123} seconds, {@code 1234} µs) as
     * nanoseconds, or {@link #INVALID}. Fractions beyond nanoseconds are dropped.
     */
    static long decimalNanos(String s, int from, int to, long unitNanos) {
        if (from >= to) {
            return INVALID;
        }
        long whole = 0;
        int i = from;
        int digits = 0;
        while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            whole = whole * 10 + (s.charAt(i) - '0');
            i++;
            if (++digits > 15) {
                return INVALID;
            }
        }
        long frac = 0;
        if (i < to && s.charAt(i) == '.') {
            i++;
            long scale = unitNanos / 10;
            int fracDigits = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                frac += (s.charAt(i) - '0') * scale;
                scale /= 10;
                i++;
                fracDigits++;
            }
            if (fracDigits == 0 && digits == 0) {
                return INVALID;
            }
        } else if (digits == 0) {
            return INVALID;
        }
        if (i != to || whole > Long.MAX_VALUE / unitNanos / 2) {
            return INVALID;
        }
        return whole * unitNanos + frac;
    }

    /** Where {@link #iso} leaves its result, so the scan can also return where the time ends. */
    static final class Result {
        long millis;
    }
}
