package caravan.enrich.crs;

import com.google.re2j.Pattern;
import java.util.Locale;

/**
 * A variable key given as a regex ({@code TX:/^header_name_920450_/}), matched without case
 * against lower-case key names. Most such keys in CRS are a plain word, anchored or not; those are
 * compared as strings, because a regex run per key and rule is dear when TX holds a hundred keys.
 * A trailing {@code .*} or {@code x*} changes nothing for a search and is dropped.
 */
final class KeyRegex {
    private static final java.util.regex.Pattern PLAIN = java.util.regex.Pattern.compile(
            "(\\^?)([A-Za-z0-9_-]+)(\\$?)(\\.\\*|[A-Za-z0-9_-]\\*)?");

    private final Pattern pattern;
    /** The lower-case word of a plain key regex, or null. */
    private final String word;
    private final boolean start;
    private final boolean end;

    /** @param compileMillis the deadline for compiling it ({@link RegexCompiler}) */
    KeyRegex(String body, long compileMillis) {
        FoldGuard.check(body, true);
        ParseCostGuard.check(body);
        this.pattern = RegexCompiler.compile("(?i)" + body, 0, compileMillis);
        java.util.regex.Matcher m = PLAIN.matcher(body);
        boolean plain = m.matches() && !(m.group(3).length() > 0 && m.group(4) != null);
        this.word = plain ? m.group(2).toLowerCase(Locale.ROOT) : null;
        this.start = plain && !m.group(1).isEmpty();
        this.end = plain && !m.group(3).isEmpty();
    }

    /** Whether the regex finds a match in {@code lowerName}. */
    boolean find(String lowerName) {
        if (word == null) {
            return pattern.matcher(lowerName).find();
        }
        if (start && end) {
            return lowerName.equals(word);
        }
        return start ? lowerName.startsWith(word) : end ? lowerName.endsWith(word) : lowerName.contains(word);
    }

    String pattern() {
        return pattern.pattern();
    }
}
