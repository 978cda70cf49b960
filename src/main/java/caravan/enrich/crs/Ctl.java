package caravan.enrich.crs;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A {@code ctl:} action that excludes rules or targets for the rest of a request, parsed: which rule
 * heads it removes, or which targets it takes from which rules. CRS's own ctl actions have no macro,
 * so each is parsed once per rule set ({@link CrsRuleSet#ctl}); one with a macro is parsed per use.
 *
 * @param removeHeads   heads removed ({@code ruleRemoveById}, {@code ruleRemoveByTag}), or null
 * @param targets       targets taken ({@code ruleRemoveTarget*}), or null
 * @param targetIds     with {@code targets}: the rule ids they are taken from, or null for by tag
 * @param targetHeads   with {@code targets}: the heads carrying the tag they are taken from
 */
record Ctl(BitSet removeHeads, List<Target> targets, int[] targetIds, BitSet targetHeads) {
    /** Engine, audit and body-processor controls: nothing an access log can show changes. */
    static final Ctl NONE = new Ctl(null, null, null, null);

    /** Parses {@code spec} (macros already expanded) against the rule set whose heads it names. */
    static Ctl parse(String spec, CrsRuleSet rules) {
        int eq = spec.indexOf('=');
        if (eq < 0) {
            return NONE;
        }
        String what = spec.substring(0, eq).strip().toLowerCase(Locale.ROOT);
        String arg = spec.substring(eq + 1).strip();
        switch (what) {
            case "ruleremovebyid" -> {
                BitSet heads = new BitSet();
                RuleIds.parse(arg, id -> heads.or(rules.headsWithId(id)));
                return new Ctl(heads, null, null, null);
            }
            case "ruleremovebytag" -> {
                return new Ctl(rules.headsTagged(foldTag(arg)), null, null, null);
            }
            case "ruleremovetargetbyid", "ruleremovetargetbytag" -> {
                int semi = arg.indexOf(';');
                if (semi < 0) {
                    return NONE;
                }
                List<Target> targets = List.copyOf(Target.parseList(arg.substring(semi + 1), "ctl:" + what, rules.regexCompileMillis));
                String subject = arg.substring(0, semi).strip();
                if (what.equals("ruleremovetargetbytag")) {
                    return new Ctl(null, targets, null, rules.headsTagged(foldTag(subject)));
                }
                List<Integer> ids = new ArrayList<>();
                RuleIds.parse(subject, ids::add);
                return new Ctl(null, targets, ids.stream().mapToInt(Integer::intValue).toArray(), null);
            }
            default -> {
                return NONE;
            }
        }
    }

    /** Tags compare without case: ASCII ones are kept in lower case, for {@link CrsRule#hasTag}'s fast path. */
    private static String foldTag(String tag) {
        String f = CrsRule.asciiLower(tag);
        return f == null ? tag : f;
    }
}
