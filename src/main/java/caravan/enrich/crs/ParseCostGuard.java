package caravan.enrich.crs;

import com.google.re2j.PatternSyntaxException;
import java.util.Set;

/**
 * Refuses a regex RE2/J 1.8 would parse in quadratic time, before it sees it (fuzz findings: a 44 KB
 * literal took 0.7 s to compile, a 29 KB rule with many classes 0.3-1.3 s). Two paths, both bounded here:
 * <ul>
 *   <li>A run of literal atoms: the parser joins each literal to the run before it by copying the run
 *       ({@code Parser.maybeConcat}), n²/2 copies for n characters. Runs are capped at {@link #MAX_RUN}
 *       atoms, so the copying stays below {@code MAX_RUN} times the pattern length.</li>
 *   <li>Copies of the rest of the pattern: at every {@code (}, every escape and every member of a class
 *       the parser looks ahead with {@code rest().startsWith(..)}, copying everything after it. The
 *       characters so copied are estimated (three copies a position, an upper bound) and capped at
 *       {@link #MAX_COPIED}. That bound is quadratic in the pattern length up to the cap: CRS's
 *       densest patterns sit in it, so it cannot be tighter without refusing CRS itself.</li>
 * </ul>
 *
 * <p>Both counts err only upwards. A run ends only at {@code (} (but not at a flag-only group
 * {@code (?s)}, which RE2/J parses without a break), {@code )} or {@code |} outside a class and an
 * escape; everything else counts as one more atom, quantifiers, classes and assertions included.
 * Classes and {@code \Q...\E} are skipped as RE2/J reads them, so a {@code )} or {@code |} inside them
 * ends nothing, and a class never ends early.
 */
final class ParseCostGuard {
    static final int MAX_RUN = 2048;
    /**
     * Characters RE2/J may copy while looking ahead, estimated: CRS's densest pattern (12,347
     * characters) comes to 150 million, this is 1.8 times that (some 0.2 s of RE2/J on a quiet core).
     */
    static final long MAX_COPIED = 1L << 28;
    private static final Set<String> POSIX = Set.of("alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph",
            "lower", "print", "punct", "space", "upper", "word", "xdigit");

    private ParseCostGuard() {
    }

    static void check(String pattern) {
        int longest = longestRun(pattern);
        if (longest > MAX_RUN) {
            throw new PatternSyntaxException("a run of " + longest + " literal atoms (at most " + MAX_RUN
                    + "): RE2/J parses a run in time quadratic in its length", pattern);
        }
        long copied = copiedByLookAhead(pattern);
        if (copied > MAX_COPIED) {
            throw new PatternSyntaxException("RE2/J would copy about " + copied + " characters looking ahead"
                    + " (at most " + MAX_COPIED + "): too many groups, escapes or class members for its length", pattern);
        }
    }

    /** Upper bound of the characters RE2/J's look-ahead copies: three copies of the rest at every {@code (}, escape and class member. */
    static long copiedByLookAhead(String p) {
        int n = p.length();
        long copied = 0;
        int i = 0;
        while (i < n) {
            char c = p.charAt(i);
            if (c == '[') {
                int end = classEnd(p, i);
                for (int k = i; k < end; k++) {
                    copied += 3L * (n - k);
                }
                i = end;
            } else {
                if (c == '(' || c == '\\') {
                    copied += 3L * (n - i);
                }
                i++;
            }
        }
        return copied;
    }

    /** The most atoms between two run breaks, counted upwards. */
    static int longestRun(String p) {
        int n = p.length();
        int run = 0;
        int longest = 0;
        int i = 0;
        while (i < n) {
            char c = p.charAt(i);
            if (c == ')' || c == '|' || (c == '(' && flagOnlyEnd(p, i) < 0)) {
                run = 0;
                i++;
                continue;
            }
            if (c == '(') {
                run++;
                i = flagOnlyEnd(p, i);
            } else if (c == '\\' && i + 1 < n && p.charAt(i + 1) == 'Q') {
                int end = p.indexOf("\\E", i + 2);
                int stop = end < 0 ? n : end;
                run += stop - i; // every quoted character is a literal atom
                i = end < 0 ? n : end + 2;
            } else {
                run++;
                i = c == '\\' ? escapeEnd(p, i) : c == '[' ? classEnd(p, i) : i + Character.charCount(p.codePointAt(i));
            }
            longest = Math.max(longest, run);
        }
        return longest;
    }

    /** Past a flag-only group {@code (?flags)} at {@code i} (it pushes nothing: the run goes on), or -1. */
    private static int flagOnlyEnd(String p, int i) {
        if (i + 1 >= p.length() || p.charAt(i + 1) != '?') {
            return -1;
        }
        int k = i + 2;
        while (k < p.length() && (Character.isLetter(p.charAt(k)) || p.charAt(k) == '-')) {
            k++;
        }
        return k < p.length() && p.charAt(k) == ')' ? k + 1 : -1;
    }

    /** Past the escape at {@code i}: {@code \x{..}}, {@code \p{..}} and {@code \P{..}} to their brace. */
    private static int escapeEnd(String p, int i) {
        if (i + 2 < p.length() && "xpP".indexOf(p.charAt(i + 1)) >= 0 && p.charAt(i + 2) == '{') {
            int close = p.indexOf('}', i + 3);
            return close < 0 ? p.length() : close + 1;
        }
        return Math.min(p.length(), i + 2);
    }

    /**
     * Past the class opened at {@code i}, as RE2/J reads it: a {@code ]} right after {@code [} or
     * {@code [^} is a member, escapes and a known {@code [:name:]} are skipped whole. Never stops early.
     */
    private static int classEnd(String p, int i) {
        int n = p.length();
        int k = i + 1;
        if (k < n && p.charAt(k) == '^') {
            k++;
        }
        boolean first = true;
        while (k < n && (p.charAt(k) != ']' || first)) {
            first = false;
            if (p.startsWith("[:", k)) {
                int close = p.indexOf(":]", k + 2);
                String name = close < 0 ? null : p.substring(k + 2, close);
                if (name != null && POSIX.contains(name.startsWith("^") ? name.substring(1) : name)) {
                    k = close + 2;
                    continue;
                }
            }
            k = p.charAt(k) == '\\' ? escapeEnd(p, k) : k + 1;
        }
        return Math.min(n, k + 1);
    }
}
