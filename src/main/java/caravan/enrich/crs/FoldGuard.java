package caravan.enrich.crs;

import com.google.re2j.PatternSyntaxException;

/**
 * Refuses, before RE2/J sees it, a case-insensitive regex that could make RE2/J fold a code point
 * it cannot fold. RE2/J 1.8 walks a code point's case orbit ({@code Unicode.simpleFold}) until it
 * comes back; for U+1C80-U+1C88 (Cyrillic letter variants, absent from its orbit table) Java's case
 * mappings lead into the orbit of В/в and never back, so the compile spins forever. A literal, an
 * escape or any class range over them does it: {@code (?i)\x{1c80}}, {@code (?i)[\x{1c7f}-\x{1c81}]},
 * {@code (?i)[]\x{1000}-\x{2000}]}, or a plain {@code ᲀ} in a variable-key regex.
 *
 * <p>The check parses nothing, so no syntax can slip past it: every code point RE2/J folds is named
 * in the pattern (a character or an {@code \x{...}} escape; {@code \xHH} and octal stay below 0x200)
 * or lies in a class range between named ones; {@code \p{..}} classes and Perl/POSIX classes fold by
 * table. A pattern that may fold and names nothing at or above U+1C80 cannot reach the loop. The price:
 * a case-insensitive pattern naming such a code point is refused even where it would be harmless
 * (CRS names none: {@code \x{e3}} at most). {@code FoldGuardTest} checks on the running JDK that no
 * code point below the bound loops.
 */
final class FoldGuard {
    /** The lowest code point whose RE2/J case orbit never closes (U+1C80 on JDK 17). */
    static final int FIRST_OPEN_ORBIT = 0x1c80;

    private FoldGuard() {
    }

    /** @param fold the pattern is compiled case-insensitive as a whole; else only a flag group in it counts */
    static void check(String pattern, boolean fold) {
        if (!fold && !foldFlag(pattern)) {
            return;
        }
        long highest = highestNamed(pattern);
        if (highest >= FIRST_OPEN_ORBIT) {
            throw new PatternSyntaxException(String.format("case-insensitive and names U+%04X: RE2/J 1.8 never"
                    + " finishes folding U+1C80-U+1C88, so case-insensitive patterns naming code points from"
                    + " U+%04X on are refused", Math.min(highest, 0x10ffff), FIRST_OPEN_ORBIT), pattern);
        }
    }

    /** Whether a flag group ({@code (?i)}, {@code (?si:...)}, even {@code (?-i)}) names case folding. */
    private static boolean foldFlag(String p) {
        for (int at = p.indexOf("(?"); at >= 0; at = p.indexOf("(?", at + 2)) {
            for (int k = at + 2; k < p.length() && (Character.isLetter(p.charAt(k)) || p.charAt(k) == '-'); k++) {
                if (p.charAt(k) == 'i') {
                    return true;
                }
            }
        }
        return false;
    }

    /** The highest code point the pattern names as a character or as a {@code \x{...}} escape. */
    static long highestNamed(String p) {
        long highest = 0;
        int n = p.length();
        for (int i = 0; i < n; ) {
            int cp = p.codePointAt(i);
            highest = Math.max(highest, cp);
            if (cp == '\\' && i + 2 < n && p.charAt(i + 1) == 'x' && p.charAt(i + 2) == '{') {
                highest = Math.max(highest, hexUpTo(p, i + 3));
            }
            i += Character.charCount(cp);
        }
        return highest;
    }

    /** The hexadecimal value of the digits from {@code i} (saturated: RE2/J refuses more than 0x10ffff itself). */
    private static long hexUpTo(String p, int i) {
        long v = 0;
        for (; i < p.length() && Character.digit(p.charAt(i), 16) >= 0; i++) {
            v = Math.min(v * 16 + Character.digit(p.charAt(i), 16), Integer.MAX_VALUE);
        }
        return v;
    }
}
