package caravan.enrich.threat;

import caravan.common.RuleFile;
import caravan.common.RuleFileException;
import caravan.enrich.match.AhoCorasick;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The compiled threat rules: the defaults from the jar, then the operator's file, whose rules add
 * to the defaults or, under the same id, replace them ({@code enabled: false} switches one off).
 *
 * <p>Matching a request normalises each target once, runs one Aho–Corasick pass per target over
 * all rules' keywords, and then only the RE2 patterns of rules whose keywords occurred. Nothing
 * backtracks, so the cost is linear in the input.
 *
 * <p>A rule file is checked whole before it is used: every mistake (unknown key, bad severity,
 * a pattern RE2 rejects, an example the rule does not match) stops the load with file, line and
 * reason. Immutable and thread-safe.
 */
public final class ThreatRules {
    /** The default rules, on the classpath. */
    public static final String DEFAULT_RESOURCE = "caravan/enrich/threats.yaml";

    private static final Set<String> KEYS = new LinkedHashSet<>(List.of(
            "id", "category", "severity", "targets", "keywords", "pattern", "description", "enabled",
            "matches", "ignores"));
    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final java.util.regex.Pattern CATEGORY = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_]*");

    private final List<ThreatRule> rules;
    private final AhoCorasick[] automata = new AhoCorasick[Target.values().length];
    private final int[][][] keywordRules = new int[Target.values().length][][];

    private ThreatRules(List<ThreatRule> rules) {
        this.rules = List.copyOf(rules);
        for (Target t : Target.values()) {
            // Keywords of every rule looking at this target; one keyword may serve several rules.
            Map<String, List<Integer>> byKeyword = new LinkedHashMap<>();
            for (int r = 0; r < this.rules.size(); r++) {
                ThreatRule rule = this.rules.get(r);
                if (rule.targets().contains(t)) {
                    for (String k : rule.keywords()) {
                        byKeyword.computeIfAbsent(k, x -> new ArrayList<>()).add(r);
                    }
                }
            }
            if (!byKeyword.isEmpty()) {
                automata[t.ordinal()] = AhoCorasick.of(new ArrayList<>(byKeyword.keySet()));
                keywordRules[t.ordinal()] = byKeyword.values().stream()
                        .map(l -> l.stream().distinct().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
            }
        }
    }

    /** The defaults, plus the operator's file when {@code userFile} is given (null or blank for none). */
    public static ThreatRules load(String userFile) {
        List<RuleFile> files = new ArrayList<>();
        files.add(RuleFile.classpath(DEFAULT_RESOURCE));
        if (userFile != null && !userFile.isBlank()) {
            files.add(RuleFile.read(Path.of(userFile.trim())));
        }
        return of(files);
    }

    /** Rules from these files, later files overriding earlier ones by id. */
    public static ThreatRules of(List<RuleFile> files) {
        Map<String, ThreatRule> byId = new LinkedHashMap<>();
        Map<String, Examples> examples = new LinkedHashMap<>();
        for (RuleFile file : files) {
            Set<String> seenHere = new LinkedHashSet<>();
            for (RuleFile.Entry e : file.entries("rules")) {
                e.allowOnly(KEYS);
                String id = e.string("id");
                if (!ID.matcher(id).matches()) {
                    throw e.error("id", "id '" + id + "' must be lower-case letters, digits, '.', '_' or '-'");
                }
                if (!seenHere.add(id)) {
                    throw e.error("id", "duplicate rule id '" + id + "' in this file");
                }
                if (!e.bool("enabled", true)) {
                    byId.remove(id);
                    examples.remove(id);
                    continue;
                }
                ThreatRule rule = rule(e, id);
                byId.remove(id); // a replaced rule moves to where its new definition stands
                byId.put(id, rule);
                examples.put(id, new Examples(e.strings("matches"), e.strings("ignores"), e.source(), e.line()));
            }
        }
        ThreatRules compiled = new ThreatRules(new ArrayList<>(byId.values()));
        // Every rule must agree with its own examples, so an edit that breaks a rule is refused at load.
        for (ThreatRule rule : compiled.rules) {
            Examples ex = examples.get(rule.id());
            for (String m : ex.matches()) {
                if (!matchesAlone(rule, m)) {
                    throw new RuleFileException(ex.source(), ex.line(),
                            "rule '" + rule.id() + "' does not match its own example '" + m + "'");
                }
            }
            for (String m : ex.ignores()) {
                if (matchesAlone(rule, m)) {
                    throw new RuleFileException(ex.source(), ex.line(),
                            "rule '" + rule.id() + "' matches '" + m + "', which it lists under 'ignores'");
                }
            }
        }
        return compiled;
    }

    /** A rule's own examples: values it must match and values it must leave alone. */
    private record Examples(List<String> matches, List<String> ignores, String source, int line) {
    }

    private static ThreatRule rule(RuleFile.Entry e, String id) {
        String category = e.string("category");
        if (!CATEGORY.matcher(category).matches()) {
            throw e.error("category", "category '" + category + "' must be lower-case letters, digits or '_'");
        }
        String sev = e.string("severity");
        Severity severity = Severity.parse(sev);
        if (severity == null) {
            throw e.error("severity", "severity '" + sev + "' must be one of low, medium, high, critical");
        }
        Set<Target> targets = EnumSet.noneOf(Target.class);
        for (String t : e.strings("targets")) {
            Target target = Target.parse(t);
            if (target == null) {
                throw e.error("targets", "unknown target '" + t + "' (expected request, path, user_agent or referrer)");
            }
            targets.add(target);
        }
        if (targets.isEmpty()) {
            targets.add(Target.REQUEST);
        }
        List<String> keywords = new ArrayList<>();
        for (String k : e.strings("keywords")) {
            keywords.add(k.toLowerCase(Locale.ROOT));
        }
        if (keywords.isEmpty()) {
            throw e.error("keywords", "rule '" + id + "' needs 'keywords': literal strings, one of which must occur "
                    + "before the pattern is tried (they keep matching fast)");
        }
        Pattern pattern = null;
        String regex = e.optionalString("pattern");
        if (regex != null) {
            try {
                pattern = Pattern.compile(regex, Pattern.CASE_INSENSITIVE);
            } catch (PatternSyntaxException ex) {
                throw e.error("pattern", "pattern is not a valid RE2 expression: " + ex.getDescription()
                        + " (RE2 has no backreferences or lookaround)");
            }
        }
        return new ThreatRule(id, category, severity, Collections.unmodifiableSet(targets), List.copyOf(keywords),
                pattern, e.optionalString("description"), e.source() + ":" + e.line());
    }

    public List<ThreatRule> rules() {
        return rules;
    }

    /**
     * The rules that match an event's request, user agent and referrer (any may be null), in rule
     * order; empty when none do.
     *
     * @param path the request's path without the query, or null to take it from {@code url}
     */
    public List<ThreatRule> match(String url, String path, String userAgent, String referrer) {
        long[] m = union(matchTarget(Target.REQUEST, url), matchTarget(Target.PATH, path != null ? path : url == null ? null : pathOf(url)));
        return rulesOf(union(m, union(matchTarget(Target.USER_AGENT, userAgent), matchTarget(Target.REFERRER, referrer))));
    }

    /**
     * The rules that match one target's raw value, as a set of indexes into {@link #rules()}, or
     * null when none match (or the value is null or empty). The caller may keep the result: it is
     * never changed afterwards.
     */
    long[] matchTarget(Target target, String raw) {
        if (raw == null || raw.isEmpty() || automata[target.ordinal()] == null) {
            return null;
        }
        String text = target == Target.PATH ? Normalizer.path(raw) : Normalizer.text(raw);
        return scan(target, text, null);
    }

    /** The rules in a set from {@link #matchTarget}, in rule order. */
    List<ThreatRule> rulesOf(long[] set) {
        if (set == null) {
            return List.of();
        }
        List<ThreatRule> out = new ArrayList<>(2);
        for (int r = 0; r < rules.size(); r++) {
            if ((set[r >>> 6] & 1L << r) != 0) {
                out.add(rules.get(r));
            }
        }
        return out;
    }

    /** The union of two sets from {@link #matchTarget}; either may be null. */
    static long[] union(long[] a, long[] b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        long[] out = a.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] |= b[i];
        }
        return out;
    }

    private long[] scan(Target target, String text, long[] matched) {
        AhoCorasick ac = automata[target.ordinal()];
        if (ac == null || !ac.containsAny(text)) {
            return matched; // the common case: one pass, no allocation
        }
        int[][] kr = keywordRules[target.ordinal()];
        long[] candidates = new long[(rules.size() + 63) >>> 6];
        ac.scan(text, (k, end) -> {
            for (int r : kr[k]) {
                candidates[r >>> 6] |= 1L << r;
            }
        });
        for (int r = 0; r < rules.size(); r++) {
            if ((candidates[r >>> 6] & 1L << r) == 0 || (matched != null && (matched[r >>> 6] & 1L << r) != 0)) {
                continue;
            }
            Pattern p = rules.get(r).pattern();
            if (p == null || p.matcher(text).find()) {
                if (matched == null) {
                    matched = new long[candidates.length];
                }
                matched[r >>> 6] |= 1L << r;
            }
        }
        return matched;
    }

    /** Whether one rule matches an example value, taken as each of the rule's targets in turn. */
    static boolean matchesAlone(ThreatRule rule, String example) {
        for (Target t : rule.targets()) {
            String text = t == Target.PATH ? Normalizer.path(pathOf(example)) : Normalizer.text(example);
            boolean keyword = false;
            for (String k : rule.keywords()) {
                if (text.contains(k)) {
                    keyword = true;
                    break;
                }
            }
            if (keyword && (rule.pattern() == null || rule.pattern().matcher(text).find())) {
                return true;
            }
        }
        return false;
    }

    /** The path part of a request target: up to the first {@code ?} (an encoded {@code %3f} stays in the path). */
    static String pathOf(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }
}
