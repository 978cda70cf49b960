package caravan.enrich.crs;

import java.util.Locale;

/**
 * Finds a literal that every match of a regex must contain, for the prefilter: the longest run of
 * plain characters at the pattern's top level (no alternation there, not under {@code ? * {0}}).
 * Conservative by construction: when in doubt there is no literal, and the regex always runs.
 */
final class RegexLiterals {
    /** Shorter literals would reject too little to pay for the check. */
    static final int MIN_LENGTH = 3;

    private RegexLiterals() {
    }

    /** The required literal, lower-case (the check ignores case), or null. */
    static String required(String p) {
        String best = null;
        StringBuilder run = new StringBuilder();
        int depth = 0;
        int n = p.length();
        int i = 0;
        while (i < n) {
            char c = p.charAt(i);
            if (c == '[') {
                best = longer(best, run);
                i = skipClass(p, i);
                continue;
            }
            if (c == '(') {
                best = depth == 0 ? longer(best, run) : best;
                depth++;
                i++;
                continue;
            }
            if (c == ')') {
                depth--;
                i++;
                if (depth == 0) {
                    i = skipQuantifier(p, i, run);
                }
                continue;
            }
            if (c == '|') {
                if (depth == 0) {
                    return null;
                }
                i++;
                continue;
            }
            if (depth > 0) {
                i += c == '\\' ? 2 : 1;
                continue;
            }
            int literal = -1;
            int next = i + 1;
            if (c == '\\' && i + 1 < n) {
                char e = p.charAt(i + 1);
                next = i + 2;
                if (e == 'x' && Bytes.isHex(p, i + 2, 2)) {
                    literal = Bytes.hexValue(p, i + 2, 2);
                    next = i + 4;
                } else if (!Character.isLetterOrDigit(e)) {
                    literal = e;
                }
            } else if (".^$*+?{}".indexOf(c) < 0 && c < 0x80) {
                literal = c;
            }
            if (literal < 0 || literal >= 0x80) {
                best = longer(best, run);
                i = skipQuantifier(p, next, run);
                continue;
            }
            char q = next < n ? p.charAt(next) : 0;
            if (q == '?' || q == '*' || (q == '{' && next + 1 < n && p.charAt(next + 1) == '0')) {
                best = longer(best, run);
                i = skipQuantifier(p, next, run);
                continue;
            }
            run.append((char) literal);
            if (q == '+' || q == '{') {
                best = longer(best, run);
                i = skipQuantifier(p, next, run);
                continue;
            }
            i = next;
        }
        best = longer(best, run);
        return best == null || best.length() < MIN_LENGTH ? null : best.toLowerCase(Locale.ROOT);
    }

    /** Keeps the longer of {@code best} and the current run, and ends the run. */
    private static String longer(String best, StringBuilder run) {
        String r = run.toString();
        run.setLength(0);
        return best == null || r.length() > best.length() ? r : best;
    }

    private static int skipClass(String p, int i) {
        int j = i + 1;
        if (j < p.length() && p.charAt(j) == '^') {
            j++;
        }
        if (j < p.length() && p.charAt(j) == ']') {
            j++;
        }
        while (j < p.length() && p.charAt(j) != ']') {
            j += p.charAt(j) == '\\' ? 2 : (p.startsWith("[:", j) ? Math.max(1, p.indexOf(":]", j) + 2 - j) : 1);
        }
        return j + 1;
    }

    /** Past a quantifier at {@code i} if there is one, ending the current run. */
    private static int skipQuantifier(String p, int i, StringBuilder run) {
        if (i >= p.length()) {
            return i;
        }
        char q = p.charAt(i);
        if (q == '?' || q == '*' || q == '+') {
            run.setLength(0);
            i++;
        } else if (q == '{') {
            int close = p.indexOf('}', i);
            if (close > 0) {
                run.setLength(0);
                i = close + 1;
            }
        } else {
            return i;
        }
        if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
            i++;
        }
        return i;
    }
}
