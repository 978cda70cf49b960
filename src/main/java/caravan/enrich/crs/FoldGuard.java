package caravan.enrich.crs;

import com.google.re2j.PatternSyntaxException;

/**
 * Refuses, before RE2/J sees it, a case-insensitive regex whose character-class ranges span many
 * non-ASCII code points: RE2/J folds such a range code point by code point, in time that grows far
 * faster than the range ({@code (?i)[\x{100}-\x{900}]} takes 9 ms, {@code (?i)[\x{100}-\x{2100}]}
 * minutes), so one line of a rule file, or a macro-built pattern, could stall the loader or a request.
 * A range covering every letter that folds (RE2's own shortcut) costs nothing and is let through.
 */
final class FoldGuard {
    /** Total span of folded non-ASCII ranges allowed: ~10 ms of RE2/J folding. */
    static final int MAX_SPAN = 2048;
    private static final int MIN_FOLD = 0x41;
    private static final int MAX_FOLD = 0x1e943;

    private FoldGuard() {
    }

    /** @param fold the pattern is compiled case-insensitive as a whole; else only an {@code (?i)} in it counts */
    static void check(String pattern, boolean fold) {
        if (!fold && !foldFlag(pattern)) {
            return;
        }
        long span = 0;
        boolean inClass = false;
        int i = 0;
        int n = pattern.length();
        while (i < n) {
            char c = pattern.charAt(i);
            if (!inClass) {
                if (c == '\\') {
                    i += 2;
                } else {
                    inClass = c == '[';
                    i++;
                }
                continue;
            }
            if (c == ']') {
                inClass = false;
                i++;
                continue;
            }
            int[] lo = codePoint(pattern, i);
            i = lo[1];
            if (i + 1 < n && pattern.charAt(i) == '-' && pattern.charAt(i + 1) != ']') {
                int[] hi = codePoint(pattern, i + 1);
                i = hi[1];
                if (hi[0] > 0x7f && hi[0] > lo[0] && !(lo[0] <= MIN_FOLD && hi[0] >= MAX_FOLD)) {
                    span += hi[0] - Math.max(lo[0], 0x80);
                }
            }
        }
        if (span > MAX_SPAN) {
            throw new PatternSyntaxException("case-insensitive character classes span " + span
                    + " non-ASCII code points (at most " + MAX_SPAN + "): RE2/J would take minutes to compile them", pattern);
        }
    }

    /** Whether a flag group, {@code (?i)} or {@code (?si:...)}, turns case folding on somewhere. */
    private static boolean foldFlag(String p) {
        for (int at = p.indexOf("(?"); at >= 0; at = p.indexOf("(?", at + 2)) {
            for (int k = at + 2; k < p.length() && Character.isLetter(p.charAt(k)); k++) {
                if (p.charAt(k) == 'i') {
                    return true;
                }
            }
        }
        return false;
    }

    /** The code point at {@code i} (a literal, {@code \xHH}, {@code \x{H...}} or an escaped character) and where the next starts. */
    private static int[] codePoint(String p, int i) {
        if (p.charAt(i) != '\\' || i + 1 >= p.length()) {
            int cp = p.codePointAt(i);
            return new int[] {cp, i + Character.charCount(cp)};
        }
        char e = p.charAt(i + 1);
        if (e == 'x' && i + 2 < p.length() && p.charAt(i + 2) == '{') {
            int close = p.indexOf('}', i);
            if (close > 0) {
                try {
                    return new int[] {Integer.parseInt(p.substring(i + 3, close), 16), close + 1};
                } catch (NumberFormatException bad) {
                    return new int[] {0, close + 1}; // RE2/J refuses it itself
                }
            }
        }
        if (e == 'x' && Bytes.isHex(p, i + 2, 2)) {
            return new int[] {Bytes.hexValue(p, i + 2, 2), i + 4};
        }
        return new int[] {e, i + 2};
    }
}
