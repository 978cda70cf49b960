package caravan.enrich.crs;

import caravan.enrich.match.AhoCorasick;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Compiles {@code @operator argument} into an {@link Operator}. Regexes run on RE2/J and phrase
 * lists on Aho–Corasick, so every operator is linear in its input.
 */
final class Operators {
    /** Why a rule cannot run here; the rule is skipped and counted. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String message) {
            super(message, null, false, false);
        }
    }

    private Operators() {
    }

    /** @param compileMillis the deadline for compiling a regex ({@link RegexCompiler}) */
    static Operator compile(String name, String arg, Path dir, Detectors detectors, long compileMillis) throws Unsupported {
        boolean macro = arg.contains("%{");
        MacroText text = MacroText.of(arg);
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "rx" -> macro ? (v, tx, c) -> expandedRegex(text, tx, v, compileMillis) : rx(arg, compileMillis);
            case "pm" -> pm(Arrays.asList(arg.trim().split("\\s+")));
            case "pmfromfile", "pmf" -> pm(phrases(arg, dir));
            case "contains" -> (v, tx, c) -> v.contains(text.expand(tx));
            case "containsword" -> (v, tx, c) -> containsWord(v, text.expand(tx));
            case "beginswith" -> (v, tx, c) -> v.startsWith(text.expand(tx));
            case "endswith" -> (v, tx, c) -> v.endsWith(text.expand(tx));
            case "streq" -> (v, tx, c) -> v.equals(text.expand(tx));
            case "within" -> (v, tx, c) -> !v.isEmpty() && text.expand(tx).contains(v);
            case "eq" -> (v, tx, c) -> number(v) == number(text.expand(tx));
            case "ge" -> (v, tx, c) -> number(v) >= number(text.expand(tx));
            case "gt" -> (v, tx, c) -> number(v) > number(text.expand(tx));
            case "le" -> (v, tx, c) -> number(v) <= number(text.expand(tx));
            case "lt" -> (v, tx, c) -> number(v) < number(text.expand(tx));
            case "unconditionalmatch" -> (v, tx, c) -> true;
            case "nomatch" -> (v, tx, c) -> false;
            case "ipmatch" -> ipMatch(arg);
            case "validateurlencoding" -> (v, tx, c) -> !validUrlEncoding(v);
            case "validateutf8encoding" -> (v, tx, c) -> !validUtf8(v);
            case "validatebyterange" -> byteRange(arg);
            case "detectsqli" -> detector(detectors.sqli(), "@detectSQLi");
            case "detectxss" -> detector(detectors.xss(), "@detectXSS");
            default -> throw new Unsupported("operator @" + name + " is not supported");
        };
    }

    private static Operator detector(java.util.function.Predicate<String> p, String name) throws Unsupported {
        if (p == null) {
            throw new Unsupported(name + " has no libinjection implementation wired");
        }
        return (v, tx, c) -> p.test(v);
    }

    /**
     * A CRS regex for RE2/J: non-ASCII literals become their UTF-8 bytes, as ModSecurity sees them;
     * '.' matches a newline and ^ $ match at every line, as libmodsecurity3 compiles {@code @rx}
     * (PCRE_DOTALL | PCRE_MULTILINE): 933161's {@code \(.*\)} spans a decoded %0A.
     */
    static Pattern regex(String pattern, long compileMillis) {
        String bytes = Bytes.of(pattern).chars().anyMatch(ch -> ch >= 0x80) ? escapeHigh(Bytes.of(pattern)) : pattern;
        FoldGuard.check(bytes, false);
        ParseCostGuard.check(bytes);
        return RegexCompiler.compile(bytes, Pattern.DOTALL | Pattern.MULTILINE, compileMillis);
    }

    /** A macro-built {@code @rx}, compiled per use: one that does not compile matches nothing. */
    private static boolean expandedRegex(MacroText text, Transaction tx, String v, long compileMillis) {
        try {
            return regex(text.expand(tx), compileMillis).matcher(v).find();
        } catch (PatternSyntaxException e) {
            return false;
        }
    }

    private static String escapeHigh(String bytes) {
        StringBuilder out = new StringBuilder(bytes.length() + 16);
        for (int i = 0; i < bytes.length(); i++) {
            char c = bytes.charAt(i);
            if (c >= 0x80) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static Operator rx(String arg, long compileMillis) throws Unsupported {
        Pattern p;
        try {
            p = regex(arg, compileMillis);
        } catch (PatternSyntaxException e) {
            throw new Unsupported("RE2 cannot compile the regex: " + e.getDescription());
        }
        List<String> literals = RegexLiterals.required(arg);
        return new Operator() {
            @Override
            public boolean match(String v, Transaction tx, boolean capture) {
                Matcher m = p.matcher(v);
                if (!m.find()) {
                    return false;
                }
                if (capture) {
                    for (int g = 0; g <= Math.min(9, m.groupCount()); g++) {
                        tx.capture(g, m.group(g));
                    }
                }
                return true;
            }

            @Override
            public List<String> requiredLiterals() {
                return literals;
            }
        };
    }

    private static Operator pm(List<String> phrases) throws Unsupported {
        List<String> bytes = new ArrayList<>();
        for (String p : phrases) {
            if (!p.isEmpty()) {
                bytes.add(Bytes.of(p));
            }
        }
        if (bytes.isEmpty()) {
            throw new Unsupported("phrase list is empty");
        }
        AhoCorasick ac = AhoCorasick.of(bytes);
        return (v, tx, c) -> ac.containsAny(v);
    }

    /** The phrases of the files named (space-separated, relative to the rules directory). */
    static List<String> phrases(String arg, Path dir) throws Unsupported {
        List<String> out = new ArrayList<>();
        for (String name : arg.trim().split("\\s+")) {
            Path f;
            try {
                f = dir.resolve(name);
            } catch (java.nio.file.InvalidPathException e) {
                throw new Unsupported("phrase file name is not a path here: " + e.getMessage()); // a NUL, say
            }
            try {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    String t = line.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        out.add(t);
                    }
                }
            } catch (IOException e) {
                throw new Unsupported("cannot read phrase file " + f + ": " + e.getMessage());
            }
        }
        return out;
    }

    static boolean containsWord(String v, String word) {
        if (word.isEmpty()) {
            return true;
        }
        for (int i = v.indexOf(word); i >= 0; i = v.indexOf(word, i + 1)) {
            int end = i + word.length();
            if ((i == 0 || !isWord(v.charAt(i - 1))) && (end == v.length() || !isWord(v.charAt(end)))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWord(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
    }

    /** Leading integer as C's atoi reads it; anything else is 0. */
    static long number(String s) {
        int i = 0;
        int n = s.length();
        while (i < n && Bytes.isSpace(s.charAt(i))) {
            i++;
        }
        boolean neg = i < n && s.charAt(i) == '-';
        if (i < n && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            i++;
        }
        long v = 0;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9' && v < Long.MAX_VALUE / 20) {
            v = v * 10 + (s.charAt(i++) - '0');
        }
        return neg ? -v : v;
    }

    private static Operator ipMatch(String arg) {
        List<String> ips = Arrays.asList(arg.trim().split("\\s*,\\s*"));
        return (v, tx, c) -> ips.contains(v);
    }

    static boolean validUrlEncoding(String v) {
        for (int i = v.indexOf('%'); i >= 0; i = v.indexOf('%', i + 1)) {
            if (!Bytes.isHex(v, i + 1, 2)) {
                return false;
            }
        }
        return true;
    }

    static boolean validUtf8(String v) {
        int n = v.length();
        for (int i = 0; i < n; i++) {
            int b0 = v.charAt(i);
            if (b0 < 0x80) {
                continue;
            }
            int len = b0 >= 0xc2 && b0 < 0xe0 ? 2 : b0 >= 0xe0 && b0 < 0xf0 ? 3 : b0 >= 0xf0 && b0 < 0xf5 ? 4 : 0;
            if (len == 0 || i + len > n) {
                return false;
            }
            int cp = b0 & (0x7f >> len);
            for (int k = 1; k < len; k++) {
                int b = v.charAt(i + k);
                if ((b & 0xc0) != 0x80) {
                    return false;
                }
                cp = cp << 6 | (b & 0x3f);
            }
            if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff))) {
                return false;
            }
            i += len - 1;
        }
        return true;
    }

    private static Operator byteRange(String arg) throws Unsupported {
        boolean[] allowed = new boolean[256];
        for (String part : arg.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            try {
                int dash = p.indexOf('-');
                int lo = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                int hi = dash < 0 ? lo : Integer.parseInt(p.substring(dash + 1).strip());
                for (int b = Math.max(0, lo); b <= Math.min(255, hi); b++) {
                    allowed[b] = true;
                }
            } catch (NumberFormatException e) {
                throw new Unsupported("@validateByteRange: cannot read range '" + p + "'");
            }
        }
        return (v, tx, c) -> {
            for (int i = 0; i < v.length(); i++) {
                if (!allowed[v.charAt(i) & 0xff]) {
                    return true;
                }
            }
            return false;
        };
    }
}
