package caravan.enrich.threat;

import com.google.re2j.Pattern;
import java.util.List;
import java.util.Set;

/**
 * One detection rule: it matches a target when one of its keywords occurs in the normalised text
 * and, if it has a pattern, the pattern is found there too. Keywords are the cheap pre-filter (one
 * Aho–Corasick pass for all rules); the RE2 pattern, linear-time, runs only after a keyword hit.
 *
 * @param source where the rule was defined, {@code file:line}, for error messages and debugging
 */
public record ThreatRule(String id, String category, Severity severity, Set<Target> targets, List<String> keywords,
                         Pattern pattern, String description, String source) {
}
