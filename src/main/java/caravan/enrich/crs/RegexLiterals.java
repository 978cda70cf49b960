package caravan.enrich.crs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The prefilter of a regex: a set of literals one of which every match must contain (compared
 * without case), found by walking the pattern as RE2's prefilter does. Literal sequences and small
 * character classes give exact strings; concatenation keeps the most selective part; alternation
 * joins its branches' sets; anything optional makes the answer "no filter" (null). Even one
 * required character ({@code ';}, {@code [<>]}) is worth it: an Aho–Corasick pass shared by every
 * rule of the transformation chain costs far less than one RE2/J run. Conservative: a pattern it
 * cannot read gets no filter.
 */
final class RegexLiterals {
    static final int MIN_LENGTH = 1;
    /** A character class of more characters than this promises too little to filter on. */
    private static final int MAX_CLASS = 24;
    private static final int MAX_EXACT = 64;
    private static final int MAX_SET = 4096;
    /**
     * Exact strings holding more characters than this in all are cut into requirements: every atom
     * copies every string of the run, so a long run cost its length squared (a 44 KB literal took a
     * second) and 64 strings of 64 characters a few thousand copies per byte (fuzz findings).
     */
    private static final int MAX_RUN_CHARS = 256;
    /** At most this many exact strings grow through a concatenation: each atom copies every one of them. */
    private static final int MAX_PRODUCT = 16;

    /** {@code exact}: every string the part can match (lower-case), or null; {@code any}: required set, null = none. */
    private record Info(Set<String> exact, Set<String> any) {
        static final Info ALL = new Info(null, null);

        Set<String> required() {
            if (exact == null) {
                return any;
            }
            for (String s : exact) {
                if (s.length() < MIN_LENGTH) {
                    return null;
                }
            }
            return exact;
        }
    }

    /** Deeper group nesting gets no filter (and no deep recursion). */
    private static final int MAX_DEPTH = 64;

    private final String p;
    private int i;
    private int depth;

    private RegexLiterals(String pattern) {
        this.p = pattern;
    }

    /** The literals, one of which a match must contain, or null if there is no useful filter. */
    static List<String> required(String pattern) {
        try {
            RegexLiterals r = new RegexLiterals(pattern);
            Info info = r.alternation();
            if (r.i != pattern.length()) {
                return null;
            }
            Set<String> req = info.required();
            return req == null || req.isEmpty() ? null : new ArrayList<>(req);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Info alternation() {
        List<Info> branches = new ArrayList<>();
        branches.add(concatenation());
        while (i < p.length() && p.charAt(i) == '|') {
            i++;
            branches.add(concatenation());
        }
        if (branches.size() == 1) {
            return branches.get(0);
        }
        Set<String> exact = new HashSet<>();
        for (Info b : branches) {
            if (exact != null && b.exact() != null && exact.size() + b.exact().size() <= MAX_EXACT) {
                exact.addAll(b.exact());
            } else {
                exact = null;
            }
        }
        if (exact != null) {
            return new Info(exact, null);
        }
        Set<String> any = new HashSet<>();
        for (Info b : branches) {
            Set<String> r = b.required();
            if (r == null || any.size() + r.size() > MAX_SET) {
                return Info.ALL;
            }
            any.addAll(r);
        }
        return new Info(null, any);
    }

    private Info concatenation() {
        Set<String> exact = Set.of("");
        Set<String> best = null;
        boolean wholeExact = true;
        while (i < p.length() && p.charAt(i) != '|' && p.charAt(i) != ')') {
            Info atom = quantified(atom());
            if (atom.exact() != null && exact.size() * atom.exact().size() <= MAX_PRODUCT
                    && exact.size() * (longest(exact) + 1) <= MAX_RUN_CHARS) {
                Set<String> product = new HashSet<>();
                for (String a : exact) {
                    for (String b : atom.exact()) {
                        product.add(a + b);
                    }
                }
                exact = product;
                continue;
            }
            // The run of exact strings ends here: keep it as a requirement and start again.
            wholeExact = false;
            best = better(best, new Info(exact, null).required());
            if (atom.exact() != null) {
                exact = atom.exact();
            } else {
                best = better(best, atom.required());
                exact = Set.of("");
            }
        }
        if (wholeExact) {
            return new Info(exact, null);
        }
        best = better(best, new Info(exact, null).required());
        return best == null ? Info.ALL : new Info(null, best);
    }

    private static int longest(Set<String> strings) {
        int n = 0;
        for (String s : strings) {
            n = Math.max(n, s.length());
        }
        return n;
    }

    /** The more selective of two requirement sets: the one whose shortest literal is longer, or the smaller. */
    private static Set<String> better(Set<String> a, Set<String> b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        int sa = shortest(a);
        int sb = shortest(b);
        return sb > sa || sb == sa && b.size() < a.size() ? b : a; // longer literals, else fewer of them
    }

    private static int shortest(Set<String> s) {
        return s.stream().mapToInt(String::length).min().orElse(0);
    }

    private Info quantified(Info atom) {
        if (i >= p.length()) {
            return atom;
        }
        char q = p.charAt(i);
        Info out;
        if (q == '?' && atom.exact() != null && atom.exact().size() < MAX_EXACT) {
            i++;
            Set<String> optional = new HashSet<>(atom.exact());
            optional.add("");
            out = new Info(optional, null);
        } else if (q == '?' || q == '*') {
            i++;
            out = Info.ALL;
        } else if (q == '+') {
            i++;
            out = new Info(null, atom.required());
        } else if (q == '{' && p.indexOf('}', i) > 0 && p.substring(i + 1, p.indexOf('}', i)).matches("\\d+(,\\d*)?")) {
            String body = p.substring(i + 1, p.indexOf('}', i));
            i = p.indexOf('}', i) + 1;
            out = body.startsWith("0") ? Info.ALL : new Info(null, atom.required());
        } else {
            return atom;
        }
        if (i < p.length() && (p.charAt(i) == '?' || p.charAt(i) == '+')) {
            i++;
        }
        return out;
    }

    private Info atom() {
        char c = p.charAt(i);
        switch (c) {
            case '(' -> {
                if (++depth > MAX_DEPTH) {
                    throw new IllegalArgumentException("groups nested too deep");
                }
                i++;
                if (p.startsWith("?", i)) {
                    int close = p.indexOf(')', i);
                    int colon = p.indexOf(':', i);
                    if (p.startsWith("?P<", i) || p.startsWith("?<", i)) {
                        int end = p.indexOf('>', i);
                        if (end < 0) {
                            throw new IllegalArgumentException("unterminated group name");
                        }
                        i = end + 1;
                    } else if (close >= 0 && (colon < 0 || close < colon)) {
                        i = close + 1; // a flag group such as (?i): matches the empty string
                        depth--;
                        return new Info(Set.of(""), null);
                    } else if (colon >= 0) {
                        i = colon + 1;
                    } else {
                        throw new IllegalArgumentException("unterminated group");
                    }
                }
                Info inner = alternation();
                if (i >= p.length() || p.charAt(i) != ')') {
                    throw new IllegalArgumentException("unbalanced");
                }
                i++;
                depth--;
                return inner;
            }
            case '[' -> {
                return charClass();
            }
            case '.' -> {
                i++;
                return Info.ALL;
            }
            case '^', '$' -> {
                i++;
                return new Info(Set.of(""), null);
            }
            case '\\' -> {
                return escape();
            }
            default -> {
                i++;
                return c >= 0x80 ? Info.ALL : literal(c);
            }
        }
    }

    private static Info literal(int c) {
        return new Info(Set.of(String.valueOf((char) c).toLowerCase(Locale.ROOT)), null);
    }

    private Info escape() {
        char e = p.charAt(i + 1);
        i += 2;
        if (e == 'x' && Bytes.isHex(p, i, 2)) {
            int v = Bytes.hexValue(p, i, 2);
            i += 2;
            return v >= 0x80 ? Info.ALL : literal(v);
        }
        if (i < p.length() && p.charAt(i) == '{' && (e == 'x' || e == 'p' || e == 'P')) {
            int end = p.indexOf('}', i);
            if (end < 0) {
                throw new IllegalArgumentException("unterminated escape");
            }
            i = end + 1; // \x{ff}, \p{L}
            return Info.ALL;
        }
        return switch (e) {
            case 'b', 'B', 'A', 'z' -> new Info(Set.of(""), null);
            case 's' -> new Info(Set.copyOf(chars(WHITESPACE)), null);
            case 'd' -> new Info(Set.copyOf(chars(DIGITS)), null);
            case 'n' -> literal('\n');
            case 't' -> literal('\t');
            case 'r' -> literal('\r');
            case 'f' -> literal('\f');
            case 'v' -> literal(0x0b);
            default -> Character.isLetterOrDigit(e) ? Info.ALL : literal(e);
        };
    }

    /** RE2's \\s (space, \\t, \\n, \\f, \\r; not \\v) and \\d, in and out of a class. */
    private static final String WHITESPACE = " \t\n\f\r";
    private static final String DIGITS = "0123456789";

    private static List<String> chars(String all) {
        List<String> out = new ArrayList<>();
        for (int k = 0; k < all.length(); k++) {
            out.add(String.valueOf(all.charAt(k)));
        }
        return out;
    }

    private Info charClass() {
        int close = i + 1;
        if (close < p.length() && p.charAt(close) == '^') {
            close++;
        }
        if (close < p.length() && p.charAt(close) == ']') {
            close++;
        }
        Set<String> chars = new HashSet<>();
        boolean all = p.charAt(i + 1) == '^';
        int j = i + 1 + (all ? 1 : 0);
        boolean first = true;
        while (j < p.length() && (p.charAt(j) != ']' || first)) {
            first = false;
            char c = p.charAt(j);
            if (p.startsWith("[:", j)) {
                int end = p.indexOf(":]", j);
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated [: :]");
                }
                j = end + 2;
                all = true;
                continue;
            }
            int value;
            if (c == '\\') {
                char e = p.charAt(j + 1);
                if (e == 'x' && Bytes.isHex(p, j + 2, 2)) {
                    value = Bytes.hexValue(p, j + 2, 2);
                    j += 4;
                } else {
                    j += 2;
                    if (e == 's' || e == 'd') {
                        chars.addAll(chars(e == 's' ? WHITESPACE : DIGITS));
                        continue;
                    }
                    if (Character.isLetterOrDigit(e)) {
                        all = true;
                        continue;
                    }
                    value = e;
                }
            } else {
                value = c;
                j++;
            }
            if (j + 1 < p.length() && p.charAt(j) == '-' && p.charAt(j + 1) != ']') {
                int hi = p.charAt(j + 1);
                int width = 2;
                if (hi == '\\' && p.charAt(j + 2) == 'x' && Bytes.isHex(p, j + 3, 2)) {
                    hi = Bytes.hexValue(p, j + 3, 2);
                    width = 5;
                } else if (hi == '\\') {
                    hi = Character.isLetterOrDigit(p.charAt(j + 2)) ? -1 : p.charAt(j + 2);
                    width = 3;
                }
                j += width;
                if (hi < value || hi >= 0x80 || hi - value >= MAX_CLASS) {
                    all = true; // too many characters to list
                    continue;
                }
                for (int c2 = value; c2 <= hi; c2++) {
                    chars.add(String.valueOf((char) c2).toLowerCase(Locale.ROOT));
                }
                continue;
            }
            if (value >= 0x80) {
                all = true;
            }
            chars.add(String.valueOf((char) value).toLowerCase(Locale.ROOT));
        }
        if (j >= p.length()) {
            throw new IllegalArgumentException("unterminated class");
        }
        i = j + 1;
        return all || chars.size() > MAX_CLASS ? Info.ALL : new Info(chars, null);
    }
}
