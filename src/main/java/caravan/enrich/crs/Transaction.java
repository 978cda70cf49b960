package caravan.enrich.crs;

import caravan.enrich.crs.RequestData.Var;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One request's evaluation state: the TX collection, what the last rule matched, the exclusions
 * that {@code ctl:} actions made for the rest of this request, and each value's state ({@link ValueSlots}).
 */
final class Transaction {
    final RequestData request;
    /** The TX collection: a quiet-path snapshot's under this request's writes. */
    final TxValues tx;
    /** Whether anything happened since the last {@link #adopt}: a write to TX, a match, a ctl, a rule fired. */
    boolean dirty;
    final List<CrsRule> fired = new ArrayList<>();
    List<Var> matchedVars = List.of();
    String matchedVar = "";
    /** The variable that matched last, named on demand (few rules read its name). */
    private Var matchedVarSource;
    private String matchedVarName = "";
    CrsRule current;
    /** Rule heads (by index) that this request's ctl actions removed; null while none is. */
    private BitSet removedHeads;
    private final Map<Integer, List<Target>> removedTargets = new HashMap<>();
    /** Rule heads (by index) that this request's ctl actions took targets from; null while none. */
    private BitSet targetsRemovedHeads;
    /** The request's values and candidate rules, told of ctl target removals; null without shortcuts. */
    RequestValues values;
    /** ctl:ruleRemoveTargetByTag so far: the heads carrying the tag, and the targets taken from them. */
    private final List<TagRemoval> removedTargetsByTag = new ArrayList<>(1);
    private final CrsRuleSet rules;

    private record TagRemoval(BitSet heads, List<Target> targets) {
    }
    /** Each value's state in this request. */
    final ValueSlots slots;

    Transaction(RequestData request, Map<String, String> initialTx, CrsRuleSet rules, Function<String, ValueMemo> memos) {
        this.request = request;
        this.rules = rules;
        this.slots = new ValueSlots(rules, memos);
        this.tx = new TxValues(initialTx);
    }

    /**
     * The state of a request that no rule reading it has touched, at one place of the rule list:
     * worked out once per engine ({@link QuietPaths}), shared by every request there. With
     * {@code ownMatched} the request keeps its own MATCHED_VAR(S): no rule matched on the way here
     * since the request's last own match, so the snapshot's are not the request's.
     *
     * @param id unique per engine: the branch cache's key names the snapshot a request left from by it
     */
    record Snapshot(int id, int phase, int index, Map<String, String> tx, List<Var> matchedVars, String matchedVar,
            Var matchedVarSource, String matchedVarName, boolean ownMatched) {
    }

    /** This state at one place of the list, with {@code txCopy} as its (unchanging) TX. */
    Snapshot snapshot(int id, int phase, int index, Map<String, String> txCopy, boolean ownMatched) {
        return new Snapshot(id, phase, index, txCopy, matchedVars, matchedVar, matchedVarSource, matchedVarName, ownMatched);
    }

    /** Takes on a snapshot's state (its TX under this request's writes); only while nothing has happened to this request. */
    void adopt(Snapshot s) {
        tx.reset(s.tx());
        if (!s.ownMatched()) {
            matchedVars = s.matchedVars();
            matchedVar = s.matchedVar();
            matchedVarSource = s.matchedVarSource();
            matchedVarName = s.matchedVarName();
        }
        dirty = false;
    }

    /** How many TX writes and matches this transaction has seen (a snapshot's TX is reused while writes stay put). */
    private int writes;
    private int matches;
    /** The ctl actions run so far, macros expanded: with TX they make the state a quiet branch goes on from. */
    private List<String> ctlsRun;

    int writes() {
        return writes;
    }

    int matches() {
        return matches;
    }

    List<String> ctlsRun() {
        return ctlsRun == null ? List.of() : ctlsRun;
    }

    private TxValues writableTx() {
        writes++;
        dirty = true;
        return tx;
    }

    void fire(CrsRule head) {
        fired.add(head);
        dirty = true;
    }

    /** By kind of request value, the rule heads that read it. */
    long[][] readers() {
        return rules.readers;
    }

    boolean removed(CrsRule r) {
        return removedHeads != null && removedHeads.get(r.index);
    }

    /** The values a rule link reads, after its own and this request's exclusions. */
    List<Var> values(CrsRule link, CrsRule head) {
        List<Var> out = new ArrayList<>();
        for (Target t : link.targets) {
            collect(t, out);
        }
        boolean taken = targetsRemoved(head);
        List<Target> runtime = taken ? removedTargets.get(head.id) : null;
        List<Target> byTag = taken && !removedTargetsByTag.isEmpty() ? removedByTag(head) : null;
        if (out.isEmpty() || (link.exclusions.isEmpty() && runtime == null && byTag == null)) {
            return out;
        }
        out.removeIf(v -> excluded(v, link.exclusions) || (runtime != null && excluded(v, runtime))
                || (byTag != null && excluded(v, byTag)));
        return out;
    }

    /** Whether this request's ctl actions took any target from rule {@code head}. */
    boolean targetsRemoved(CrsRule head) {
        return targetsRemovedHeads != null && targetsRemovedHeads.get(head.index);
    }

    /** The targets this request's ctl:ruleRemoveTargetByTag took from rules tagged like {@code head}, or null. */
    private List<Target> removedByTag(CrsRule head) {
        List<Target> out = null;
        for (int k = 0; k < removedTargetsByTag.size(); k++) {
            TagRemoval t = removedTargetsByTag.get(k);
            if (t.heads().get(head.index)) {
                if (out == null) {
                    out = t.targets();
                } else {
                    out = new ArrayList<>(out);
                    out.addAll(t.targets());
                }
            }
        }
        return out;
    }

    /**
     * Whether {@code head}'s own exclusions or this request's ctl actions take the values of
     * {@code collection}: all of them, or (with {@code lowerKey}) the one of that name. Reads the
     * lists where they are, without joining them (941010's ctl makes this a per-request question).
     */
    boolean excludes(CrsRule head, String collection, String lowerKey) {
        if (excludes(head.exclusions, collection, lowerKey)) {
            return true;
        }
        if (!targetsRemoved(head)) {
            return false;
        }
        List<Target> runtime = removedTargets.isEmpty() ? null : removedTargets.get(head.id);
        if (runtime != null && excludes(runtime, collection, lowerKey)) {
            return true;
        }
        for (int k = 0; k < removedTargetsByTag.size(); k++) {
            TagRemoval t = removedTargetsByTag.get(k);
            if (t.heads().get(head.index) && excludes(t.targets(), collection, lowerKey)) {
                return true;
            }
        }
        return false;
    }

    private static boolean excludes(List<Target> exclusions, String collection, String lowerKey) {
        for (int i = 0; i < exclusions.size(); i++) {
            Target x = exclusions.get(i);
            if (x.collection().equals(collection)
                    && (x.key() == null && x.keyRegex() == null || lowerKey != null && x.selects(lowerKey))) {
                return true;
            }
        }
        return false;
    }

    private static boolean excluded(Var v, List<Target> exclusions) {
        String key = v.lowerKey();
        for (Target x : exclusions) {
            if (x.collection().equals(v.collection()) && (x.key() == null && x.keyRegex() == null || key != null && x.selects(key))) {
                return true;
            }
        }
        return false;
    }

    private void collect(Target t, List<Var> out) {
        int before = out.size();
        switch (t.collection()) {
            case "ARGS", "ARGS_GET" -> select(t, request.args, t.collection(), false, out);
            case "ARGS_NAMES", "ARGS_GET_NAMES" -> select(t, request.args, t.collection(), true, out);
            case "REQUEST_HEADERS" -> select(t, request.headers, "REQUEST_HEADERS", false, out);
            case "REQUEST_HEADERS_NAMES" -> select(t, request.headers, "REQUEST_HEADERS_NAMES", true, out);
            case "MATCHED_VARS" -> select(t, matchedVars, "MATCHED_VARS", false, out);
            case "MATCHED_VARS_NAMES" -> {
                for (Var v : matchedVars) {
                    out.add(new Var("MATCHED_VARS_NAMES", v.name(), v.name()));
                }
            }
            case "TX" -> {
                if (t.key() != null) {
                    String v = tx.get(t.key());
                    if (v != null) {
                        out.add(new Var("TX", t.key(), v, t.key()));
                    }
                    break;
                }
                if (values != null) { // with shortcuts; the plain walk tests every key, as the reference
                    tx.forEachSelected(t, rules.txSelections, (k, v) -> out.add(new Var("TX", k, v)));
                    break;
                }
                tx.forEach((k, v) -> {
                    if (t.selects(k)) {
                        out.add(new Var("TX", k, v));
                    }
                });
            }
            case "MATCHED_VAR" -> out.add(new Var("MATCHED_VAR", null, matchedVar, null));
            case "MATCHED_VAR_NAME" -> out.add(new Var("MATCHED_VAR_NAME", null, matchedVarName(), null));
            default -> {
                String v = request.scalar(t.collection());
                if (v != null) {
                    out.add(new Var(t.collection(), null, v, null));
                }
            }
        }
        if (t.count()) {
            int n = out.size() - before;
            out.subList(before, out.size()).clear();
            out.add(new Var("&" + t.collection(), t.key(), Integer.toString(n), t.key()));
        }
    }

    private static void select(Target t, List<Var> from, String collection, boolean names, List<Var> out) {
        for (Var v : from) {
            if (t.key() == null && t.keyRegex() == null || t.selects(v.lowerKey())) {
                out.add(new Var(collection, v.key(), names ? v.key() : v.value(), v.lowerKey()));
            }
        }
    }

    /** Records the variable that matched: MATCHED_VAR and, when asked for, MATCHED_VAR_NAME. */
    void matched(Var v) {
        dirty = true;
        matches++;
        matchedVar = v.value();
        matchedVarSource = v;
    }

    String matchedVarName() {
        if (matchedVarSource != null) {
            matchedVarName = matchedVarSource.name();
            matchedVarSource = null;
        }
        return matchedVarName;
    }

    /** While a capturing link runs for the cache: what it sets, by group. */
    private String[] recording;

    void capture(int group, String value) {
        String v = value == null ? "" : value;
        writableTx().put(CAPTURE_KEYS[group], v);
        if (recording != null) {
            recording[group] = v;
        }
    }

    private static final String[] CAPTURE_KEYS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    void startRecording() {
        recording = new String[CAPTURE_KEYS.length];
    }

    String[] stopRecording() {
        String[] out = recording;
        recording = null;
        return out;
    }

    /** Sets TX:0-9 as a recorded run of the link did. */
    void replay(String[] groups) {
        for (int g = 0; g < groups.length; g++) {
            if (groups[g] != null) {
                writableTx().put(CAPTURE_KEYS[g], groups[g]);
            }
        }
    }

    /** Replaces {@code %{tx.name}}, {@code %{MATCHED_VAR}}, {@code %{rule.id}} and the like. */
    String expand(String text) {
        return text.indexOf("%{") < 0 ? text : MacroText.of(text).expand(this);
    }

    /** The value of one macro reference, empty when unset. */
    String macro(MacroText.Ref ref) {
        String key = ref.key();
        String v = switch (ref.collection()) {
            case "TX" -> tx.get(key);
            case "MATCHED_VAR" -> matchedVar;
            case "MATCHED_VAR_NAME" -> matchedVarName();
            case "RULE" -> "id".equals(key) && current != null ? Integer.toString(current.id) : null;
            case "REQUEST_HEADERS" -> key == null ? null : request.header(key);
            default -> request.scalar(ref.collection());
        };
        return v == null ? "" : v;
    }

    /** {@code tx.name=value}, {@code tx.name=+n}, {@code tx.name=-n}, {@code !tx.name}; other collections ignored. */
    void setvar(SetVar sv) {
        String key = sv.nameMacro() ? SetVar.txKey(sv.nameText().expand(this)) : sv.key();
        if (key == null) {
            return;
        }
        if (sv.delete()) {
            writableTx().remove(key);
            return;
        }
        String value = sv.value() == null ? "1" : sv.value().expand(this);
        if (value.startsWith("+") || value.startsWith("-")) {
            long base = Operators.number(tx.getOrDefault(key, "0"));
            long delta = Operators.number(value.substring(1));
            value = Long.toString(value.charAt(0) == '+' ? base + delta : base - delta);
        }
        writableTx().put(key, value);
    }

    private void removeHeads(BitSet heads) {
        if (heads == null || heads.isEmpty()) {
            return;
        }
        if (removedHeads == null) {
            removedHeads = new BitSet();
        }
        removedHeads.or(heads);
    }

    private void removedTargetsFrom(BitSet heads, List<Target> targets) {
        targetsRemovedHeads.or(heads);
        if (values != null) {
            values.removed(heads, targets);
        }
    }

    /** The {@code ctl:} actions that exclude rules or targets for the rest of this request. */
    void ctl(String spec) {
        boolean macro = spec.indexOf("%{") >= 0;
        runCtl(macro ? expand(spec) : spec, macro);
    }

    /** A ctl action whose macros are expanded already ({@code parsed}: not one of the rule set's own texts). */
    void runCtl(String spec, boolean parsed) {
        dirty = true;
        if (ctlsRun == null) {
            ctlsRun = new ArrayList<>(2);
        }
        ctlsRun.add(spec);
        Ctl c = parsed ? Ctl.parse(spec, rules) : rules.ctl(spec);
        removeHeads(c.removeHeads());
        if (c.targets() == null) {
            return;
        }
        if (targetsRemovedHeads == null) {
            targetsRemovedHeads = new BitSet();
        }
        if (c.targetHeads() != null) {
            removedTargetsByTag.add(new TagRemoval(c.targetHeads(), c.targets()));
            removedTargetsFrom(c.targetHeads(), c.targets());
        } else {
            for (int id : c.targetIds()) {
                removedTargets.computeIfAbsent(id, k -> new ArrayList<>()).addAll(c.targets());
                removedTargetsFrom(rules.headsWithId(id), c.targets());
            }
        }
    }
}
