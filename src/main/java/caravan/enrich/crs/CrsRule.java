package caravan.enrich.crs;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * One compiled SecRule, SecAction or SecMarker. A chain is the first rule with {@link #next}
 * pointing at the following link; only the first link carries id, phase and the
 * disruptive/logging actions, as in SecLang.
 */
final class CrsRule {
    final String where;
    int id;
    int phase = 2;
    /** Set for a SecMarker: the name skipAfter jumps past. */
    String marker;
    final List<Target> targets = new ArrayList<>();
    final List<Target> exclusions = new ArrayList<>();
    Operator operator;
    boolean negated;
    String operatorText = "";
    final List<UnaryOperator<String>> transforms = new ArrayList<>();
    /** The transformation names, joined: the key of the per-request transformation cache. */
    String transformKey = "";
    boolean multiMatch;
    boolean capture;
    boolean log = true;
    boolean chain;
    CrsRule next;
    String msg;
    String severity;
    final List<String> tags = new ArrayList<>();
    final List<SetVar> setvars = new ArrayList<>();
    final List<String> ctls = new ArrayList<>();
    String skipAfter;
    /** This link's bit in its transformation chain's prefilter, or -1 when the operator always runs. */
    int prefilterBit = -1;
    /** This link's place among all links of the rule set: its slot in a {@link ValueMemo}. */
    int index = -1;
    /** Its transformation chain's number ({@link #transformKey}s numbered in the rule set). */
    int chainId;
    /** Whether the verdict on a value depends on nothing but the value (no macro in the operator). */
    boolean pure;
    /** For a rule's first link: the kinds of request value it reads ({@link RequestValues}), 0 if it always runs. */
    int valueKinds;
    /** The TX key when this link reads exactly one TX value by name (no count, no exclusion), else null. */
    String txKey;
    /** With {@link #txKey}: the variable list of its last match, reused while the value is the same (TX values repeat). */
    List<RequestData.Var> lastTxMatch;
    /** With {@link #txKey}: the link reads how many such values there are (0 or 1), {@code &TX:name}. */
    boolean txCount;
    /** With {@link #skipAfter}: where each phase's list goes on, worked out once the rule set is built. */
    int skipTo1;
    int skipTo2;
    /** With {@link #valueKinds}: the lower-case names of the only headers it reads, or null for any. */
    List<String> headerKeys;

    CrsRule(String where) {
        this.where = where;
    }

    /** The tags folded to lower case, when every tag is ASCII (then a set lookup answers {@link #hasTag}). */
    private Set<String> asciiTags;

    /** Called once the tags are all read. */
    void indexTags() {
        Set<String> folded = new HashSet<>();
        for (String t : tags) {
            String f = asciiLower(t);
            if (f == null) {
                return; // some non-ASCII letters equal ASCII ones without case: keep the exact loop
            }
            folded.add(f);
        }
        asciiTags = Set.copyOf(folded);
    }

    /** {@code s} in lower case if it is all ASCII (the same instance when already lower), else null. */
    static String asciiLower(String s) {
        boolean upper = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            upper |= c >= 'A' && c <= 'Z';
        }
        return upper ? s.toLowerCase(Locale.ROOT) : s;
    }

    /** Whether this rule carries {@code tag} (compared without case). */
    boolean hasTag(String tag) {
        String folded = asciiTags == null ? null : asciiLower(tag);
        if (folded != null) {
            return asciiTags.contains(folded);
        }
        for (String t : tags) {
            if (t.equalsIgnoreCase(tag)) {
                return true;
            }
        }
        return false;
    }

    /** What a rule may read and still give every request the same result: TX and what its own links matched. */
    private static final Set<String> REQUEST_FREE = Set.of("TX", "RULE", "MATCHED_VAR", "MATCHED_VARS",
            "MATCHED_VAR_NAME", "MATCHED_VARS_NAMES");

    /**
     * Whether this rule (every link of a chain) reads nothing of the request: only TX and its own
     * matches, in targets and macros, with no ctl action. Run from the same TX, it does the same.
     */
    boolean readsNoRequest() {
        for (CrsRule link = this; link != null; link = link.next) {
            if (!link.ctls.isEmpty() || !MacroText.of(link.operatorText).refersOnlyTo(REQUEST_FREE)) {
                return false;
            }
            for (Target t : link.targets) {
                if (!REQUEST_FREE.contains(t.collection())) {
                    return false;
                }
            }
            for (SetVar sv : link.setvars) {
                if (!sv.nameText().refersOnlyTo(REQUEST_FREE) || sv.value() != null && !sv.value().refersOnlyTo(REQUEST_FREE)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "rule " + id + " (" + where + ")";
    }
}
