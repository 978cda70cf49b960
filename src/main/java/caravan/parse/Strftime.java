package caravan.parse;

import java.util.ArrayList;
import java.util.List;

/**
 * A strftime(3) format (what Apache's {@code %{format}t} takes) compiled into a scanner that reads
 * the time it produced back, in place, into {@link TimeParts}.
 *
 * <p>Also takes Apache's own tokens, each as the whole format: {@code sec}, {@code msec},
 * {@code usec} (epoch) and {@code msec_frac}, {@code usec_frac} (fraction of the second). Reading
 * follows strptime: numbers take up to their width in digits, names are English (the C locale Apache
 * logs in), a space in the format takes any run of spaces.
 */
final class Strftime {
    private static final int LIT = 0, SPACE = 1, NUM = 2, MONTH_NAME = 3, DAY_NAME = 4, AMPM = 5, OFFSET = 6,
            ZONE_NAME = 7, EPOCH = 8;
    // NUM targets
    private static final int YEAR = 0, YEAR2 = 1, CENTURY = 2, MONTH = 3, DAY = 4, DOY = 5, HOUR = 6, HOUR12 = 7,
            MINUTE = 8, SECOND = 9, IGNORED = 10, FRAC = 11;

    private final int[] kind;
    private final int[] arg;    // LIT: the char; NUM: the target; EPOCH: unit in ms per unit (or -1000 for µs)
    private final int[] width;  // NUM: max digits (FRAC: exact digits); bit 8 set: may be space-padded
    final String source;

    private Strftime(String source, List<int[]> ops) {
        this.source = source;
        kind = new int[ops.size()];
        arg = new int[ops.size()];
        width = new int[ops.size()];
        for (int i = 0; i < ops.size(); i++) {
            kind[i] = ops.get(i)[0];
            arg[i] = ops.get(i)[1];
            width[i] = ops.get(i)[2];
        }
    }

    /** @throws IllegalArgumentException naming the conversion that cannot be read back */
    static Strftime compile(String fmt) {
        List<int[]> ops = new ArrayList<>();
        switch (fmt) {
            case "sec" -> ops.add(new int[] {EPOCH, 1000, 0});
            case "msec" -> ops.add(new int[] {EPOCH, 1, 0});
            case "usec" -> ops.add(new int[] {EPOCH, -1000, 0});
            case "msec_frac" -> ops.add(new int[] {NUM, FRAC, 3});
            case "usec_frac" -> ops.add(new int[] {NUM, FRAC, 6});
            default -> expand(fmt, ops, 0);
        }
        if (ops.isEmpty()) {
            throw new IllegalArgumentException("empty time format");
        }
        return new Strftime(fmt, ops);
    }

    private static void expand(String fmt, List<int[]> ops, int depth) {
        for (int i = 0; i < fmt.length(); i++) {
            char c = fmt.charAt(i);
            if (c != '%') {
                if (c == ' ' || c == '\t') {
                    if (ops.isEmpty() || ops.get(ops.size() - 1)[0] != SPACE) {
                        ops.add(new int[] {SPACE, 0, 0});
                    }
                } else {
                    ops.add(new int[] {LIT, c, 0});
                }
                continue;
            }
            if (++i >= fmt.length()) {
                throw new IllegalArgumentException("time format '" + fmt + "' ends with a lone '%'");
            }
            char d = fmt.charAt(i);
            if ((d == 'E' || d == 'O') && i + 1 < fmt.length()) {
                d = fmt.charAt(++i); // alternative-representation modifiers: the C locale has none
            }
            switch (d) {
                case 'Y' -> ops.add(new int[] {NUM, YEAR, 4});
                case 'y' -> ops.add(new int[] {NUM, YEAR2, 2});
                case 'C' -> ops.add(new int[] {NUM, CENTURY, 2});
                case 'm' -> ops.add(new int[] {NUM, MONTH, 2});
                case 'd' -> ops.add(new int[] {NUM, DAY, 2});
                case 'e' -> ops.add(new int[] {NUM, DAY, 2 | 256});
                case 'j' -> ops.add(new int[] {NUM, DOY, 3});
                case 'H' -> ops.add(new int[] {NUM, HOUR, 2});
                case 'k' -> ops.add(new int[] {NUM, HOUR, 2 | 256});
                case 'I' -> ops.add(new int[] {NUM, HOUR12, 2});
                case 'l' -> ops.add(new int[] {NUM, HOUR12, 2 | 256});
                case 'M' -> ops.add(new int[] {NUM, MINUTE, 2});
                case 'S' -> ops.add(new int[] {NUM, SECOND, 2});
                case 'u', 'w' -> ops.add(new int[] {NUM, IGNORED, 1});
                case 'U', 'W', 'V' -> ops.add(new int[] {NUM, IGNORED, 2});
                case 'G' -> ops.add(new int[] {NUM, IGNORED, 4});
                case 'g' -> ops.add(new int[] {NUM, IGNORED, 2});
                case 'b', 'B', 'h' -> ops.add(new int[] {MONTH_NAME, 0, 0});
                case 'a', 'A' -> ops.add(new int[] {DAY_NAME, 0, 0});
                case 'p', 'P' -> ops.add(new int[] {AMPM, 0, 0});
                case 'z' -> ops.add(new int[] {OFFSET, 0, 0});
                case 'Z' -> ops.add(new int[] {ZONE_NAME, 0, 0});
                case 's' -> ops.add(new int[] {EPOCH, 1000, 0});
                case 'n', 't' -> ops.add(new int[] {SPACE, 0, 0});
                case '%' -> ops.add(new int[] {LIT, '%', 0});
                case 'T', 'X' -> expand("%H:%M:%S", ops, depth + 1);
                case 'D', 'x' -> expand("%m/%d/%y", ops, depth + 1);
                case 'F' -> expand("%Y-%m-%d", ops, depth + 1);
                case 'R' -> expand("%H:%M", ops, depth + 1);
                case 'r' -> expand("%I:%M:%S %p", ops, depth + 1);
                case 'c' -> expand("%a %b %e %H:%M:%S %Y", ops, depth + 1);
                default -> throw new IllegalArgumentException("time format '" + fmt + "': %" + d
                        + " is not supported (supported: %Y %y %C %m %d %e %j %H %k %I %l %M %S %b %B %h %a %A"
                        + " %p %z %Z %s %T %D %F %R %r %c %x %X %u %w %U %W %V %G %g %n %t %%, or the whole"
                        + " format sec, msec, usec, msec_frac, usec_frac)");
            }
        }
    }

    /**
     * Reads the time at {@code s[pos..]} into {@code t}; returns the index after it, or {@code -1 - at}
     * where {@code at} is where it stopped matching.
     */
    int parse(String s, int pos, int end, TimeParts t) {
        int i = pos;
        for (int k = 0; k < kind.length; k++) {
            switch (kind[k]) {
                case LIT -> {
                    if (i >= end || s.charAt(i) != arg[k]) {
                        return -1 - i;
                    }
                    i++;
                }
                case SPACE -> {
                    while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                        i++;
                    }
                }
                case NUM -> {
                    int max = width[k] & 255;
                    if ((width[k] & 256) != 0 && i < end && s.charAt(i) == ' ') {
                        i++;
                        max--;
                    }
                    int start = i;
                    int v = 0;
                    while (i < end && i - start < max && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                        v = v * 10 + (s.charAt(i) - '0');
                        i++;
                    }
                    if (i == start || (arg[k] == FRAC && i - start != max)) {
                        return -1 - i;
                    }
                    if (!store(t, arg[k], v, i - start)) {
                        return -1 - start;
                    }
                }
                case MONTH_NAME -> {
                    int start = i;
                    i = letters(s, i, end);
                    int m = Times.month(s, start, i - start);
                    if (m < 0) {
                        return -1 - start;
                    }
                    t.month = m;
                }
                case DAY_NAME -> {
                    int start = i;
                    i = letters(s, i, end);
                    if (i - start < 3 || i - start > 9) {
                        return -1 - start;
                    }
                }
                case AMPM -> {
                    if (i + 2 > end || (s.charAt(i + 1) != 'M' && s.charAt(i + 1) != 'm')) {
                        return -1 - i;
                    }
                    char c = s.charAt(i);
                    if (c == 'A' || c == 'a') {
                        t.pm = 0;
                    } else if (c == 'P' || c == 'p') {
                        t.pm = 1;
                    } else {
                        return -1 - i;
                    }
                    i += 2;
                }
                case OFFSET -> {
                    int r = offset(s, i, end, t);
                    if (r < 0) {
                        return r;
                    }
                    i = r;
                }
                case ZONE_NAME -> {
                    int start = i;
                    i = letters(s, i, end);
                    if (i == start) {
                        return -1 - i;
                    }
                    String z = s.substring(start, i);
                    if (z.equals("UTC") || z.equals("GMT") || z.equals("UT") || z.equals("Z")) {
                        t.offset = 0;
                    } // other abbreviations are ambiguous (CST, IST): the configured zone applies
                }
                case EPOCH -> {
                    int start = i;
                    long v = 0;
                    while (i < end && i - start < 19 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                        v = v * 10 + (s.charAt(i) - '0');
                        i++;
                    }
                    if (i == start) {
                        return -1 - i;
                    }
                    int unit = arg[k];
                    if (unit == 1000 && v > Long.MAX_VALUE / 1000) {
                        return -1 - start;
                    }
                    t.epochMillis = unit > 0 ? v * unit : v / -unit;
                    t.epochSeconds = unit == 1000;
                }
                default -> throw new IllegalStateException();
            }
        }
        return i;
    }

    private static boolean store(TimeParts t, int target, int v, int digits) {
        switch (target) {
            case YEAR -> t.year = v;
            case YEAR2 -> t.year = (t.year >= 0 && t.year % 100 == 0 && t.year != 0 ? t.year : (v < 69 ? 2000 : 1900))
                    + v; // POSIX: 69-99 are 1900s, 00-68 are 2000s; %C before %y sets the century
            case CENTURY -> t.year = v * 100;
            case MONTH -> {
                if (v < 1 || v > 12) {
                    return false;
                }
                t.month = v;
            }
            case DAY -> {
                if (v < 1 || v > 31) {
                    return false;
                }
                t.day = v;
            }
            case DOY -> {
                if (v < 1 || v > 366) {
                    return false;
                }
                t.dayOfYear = v;
            }
            case HOUR -> {
                if (v > 23) {
                    return false;
                }
                t.hour = v;
            }
            case HOUR12 -> {
                if (v < 1 || v > 12) {
                    return false;
                }
                t.hour12 = v;
            }
            case MINUTE -> {
                if (v > 59) {
                    return false;
                }
                t.minute = v;
            }
            case SECOND -> {
                if (v > 60) {
                    return false;
                }
                t.second = v;
            }
            case FRAC -> t.fracNanos = digits == 3 ? v * 1_000_000 : v * 1_000;
            default -> {
                // week numbers and weekdays carry nothing the date does not
            }
        }
        return true;
    }

    /** {@code +hhmm}, {@code +hh:mm} or {@code Z}. */
    private static int offset(String s, int i, int end, TimeParts t) {
        if (i < end && s.charAt(i) == 'Z') {
            t.offset = 0;
            return i + 1;
        }
        if (i + 5 > end || (s.charAt(i) != '+' && s.charAt(i) != '-')) {
            return -1 - i;
        }
        int sign = s.charAt(i) == '-' ? -1 : 1;
        int hh = Times.two(s, i + 1);
        int j = i + 3;
        if (s.charAt(j) == ':') {
            j++;
        }
        if (j + 2 > end) {
            return -1 - i;
        }
        int mm = Times.two(s, j);
        if (hh < 0 || mm < 0 || hh > 23 || mm > 59) {
            return -1 - i;
        }
        t.offset = sign * (hh * 3600 + mm * 60);
        return j + 2;
    }

    private static int letters(String s, int i, int end) {
        while (i < end && i < s.length()) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
                break;
            }
            i++;
        }
        return i;
    }
}
