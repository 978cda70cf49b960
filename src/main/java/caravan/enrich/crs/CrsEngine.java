package caravan.enrich.crs;

import caravan.enrich.crs.RequestData.Var;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a {@link CrsRuleSet} over one request the way ModSecurity does: phase 1 then phase 2, rule
 * by rule, chains, {@code skipAfter} (which is how CRS skips the paranoia levels not chosen),
 * {@code setvar} anomaly scoring and {@code ctl:} exclusions. Immutable and thread-safe; each
 * call has its own {@link Transaction}.
 */
public final class CrsEngine {
    /** What CRS says about one request. */
    public record Verdict(List<CrsRule> rules, int anomalyScore) {
        public List<Integer> ruleIds() {
            return rules.stream().map(r -> r.id).toList();
        }
    }

    /** Request state rather than request data: never worth caching. */
    private static final Set<String> STATE = Set.of("TX", "MATCHED_VAR", "MATCHED_VARS", "MATCHED_VAR_NAME",
            "MATCHED_VARS_NAMES");

    private final CrsRuleSet rules;
    /** Longer values (rare, and dear to keep) are not cached. */
    private static final int LONGEST_CACHED = 1024;

    private final VerdictCache verdicts;
    /** Prefilter and caches on; off only to check that they change no verdict. */
    private final boolean shortcuts;
    private final Map<String, String> initialTx;
    private final int paranoiaLevel;
    /** The quiet path and its branches; null without shortcuts. */
    private final QuietPaths paths;
    private final java.util.function.Function<String, ValueMemo> memo = this::memo;

    /**
     * @param paranoiaLevel      1 to 4, as {@code tx.blocking_paranoia_level}
     * @param inboundThreshold   {@code tx.inbound_anomaly_score_threshold}
     */
    public CrsEngine(CrsRuleSet rules, int paranoiaLevel, int inboundThreshold) {
        this(rules, paranoiaLevel, inboundThreshold, Map.of(), 10_000);
    }

    /** @param setvars further TX values, as an operator's crs-setup.conf would set them (lower-case names) */
    public CrsEngine(CrsRuleSet rules, int paranoiaLevel, int inboundThreshold, Map<String, String> setvars) {
        this(rules, paranoiaLevel, inboundThreshold, setvars, 10_000);
    }

    /**
     * @param cacheSize how many distinct values keep their verdicts: user agents, referrers, paths,
     *                  request lines and arguments repeat from request to request in a real log
     */
    public CrsEngine(CrsRuleSet rules, int paranoiaLevel, int inboundThreshold, Map<String, String> setvars,
            long cacheSize) {
        this(rules, paranoiaLevel, inboundThreshold, setvars, cacheSize, DEFAULT_BRANCHES);
    }

    /** How many states off the quiet path keep their walk by default ({@code caravan.enrich.crs.branch-cache-size}). */
    public static final int DEFAULT_BRANCHES = 1000;

    /** @param branches how many states off the quiet path keep their walk ({@link QuietPaths}) */
    public CrsEngine(CrsRuleSet rules, int paranoiaLevel, int inboundThreshold, Map<String, String> setvars, long cacheSize,
            int branches) {
        this(rules, paranoiaLevel, inboundThreshold, setvars, cacheSize, true, branches);
    }

    /** @param shortcuts false runs every operator on every value: no prefilter, no cache (for tests) */
    CrsEngine(CrsRuleSet rules, int paranoiaLevel, int inboundThreshold, Map<String, String> setvars, long cacheSize,
            boolean shortcuts) {
        this(rules, paranoiaLevel, inboundThreshold, setvars, cacheSize, shortcuts, DEFAULT_BRANCHES);
    }

    CrsEngine(CrsRuleSet rules, int paranoiaLevel, int inboundThreshold, Map<String, String> setvars, long cacheSize,
            boolean shortcuts, int branches) {
        this.shortcuts = shortcuts;
        if (paranoiaLevel < 1 || paranoiaLevel > 4) {
            throw new CrsException("caravan.enrich.crs.paranoia-level must be 1 to 4, not " + paranoiaLevel);
        }
        this.rules = rules;
        this.verdicts = new VerdictCache(cacheSize, rules.links);
        this.paranoiaLevel = paranoiaLevel;
        // What crs-setup.conf would set; REQUEST-901 fills in every other default.
        Map<String, String> tx = new HashMap<>(setvars);
        tx.put("crs_setup_version", "4290");
        tx.put("blocking_paranoia_level", Integer.toString(paranoiaLevel));
        tx.put("detection_paranoia_level", Integer.toString(paranoiaLevel));
        tx.put("inbound_anomaly_score_threshold", Integer.toString(inboundThreshold));
        this.initialTx = Map.copyOf(tx);
        this.paths = shortcuts ? new QuietPaths(rules, initialTx, (r, q) -> matches(r, r, q), branches) : null;
    }

    public Verdict evaluate(RequestData request) {
        // With the quiet path the TX is the first snapshot's (adopted below): no copy of the initial one.
        Transaction tx = new Transaction(request, paths != null ? Map.of() : initialTx, rules, shortcuts ? memo : null);
        RequestValues values = shortcuts ? new RequestValues(request, tx) : null;
        tx.values = values;
        Cursor at = new Cursor();
        if (paths != null) {
            at.path = paths.quiet;
            at.k = at.path.next(-1, values);
            tx.adopt(at.path.steps[at.k]);
        }
        run(1, rules.phase1, tx, values, at);
        run(2, rules.phase2, tx, values, at);
        int score = 0;
        for (int pl = 1; pl <= paranoiaLevel; pl++) {
            score += (int) Operators.number(tx.tx.getOrDefault("inbound_anomaly_score_pl" + pl, "0"));
        }
        return new Verdict(tx.fired, score);
    }

    /** The quiet path and its branches, for tests and probes; null without shortcuts. */
    QuietPaths paths() {
        return paths;
    }

    private ValueMemo memo(String value) {
        return value.length() > LONGEST_CACHED ? null : verdicts.get(value);
    }

    /** Where a request is on a quiet path ({@link QuietPaths}): the path and its step, or k = -1 once it walks. */
    private static final class Cursor {
        QuietPaths.Path path;
        int k = -1;
    }

    /** Runs one phase's list, from where the request's quiet path has it (and moving it on). */
    private void run(int phase, List<CrsRule> list, Transaction tx, RequestValues values, Cursor at) {
        int i = 0;
        if (at.k >= 0) {
            Transaction.Snapshot s = at.path.steps[at.k];
            if (s.phase() != phase) {
                return; // the path goes on in a later phase (or covers the rest: phase 3)
            }
            i = s.index();
            at.k = at.path.isLast(at.k) ? -1 : at.k; // the path's end: walk on from here
        }
        int[][] walk = phase == 1 ? rules.walk1 : rules.walk2;
        int[] heads = walk[0];
        int[] kinds = walk[1];
        while (i < list.size()) {
            int next = i + 1;
            int head = heads[i];
            // A rule whose first link matches no value does nothing at all: no setvar, no ctl, no skip.
            // Markers and rules outside the candidates are passed over from the flat arrays alone.
            CrsRule r = head < 0 || values != null && kinds[i] != 0 && !values.candidate(head) ? null : list.get(i);
            if (r != null && (values == null || r.valueKinds == 0 || values.mayMatch(r, tx)) && !tx.removed(r)) {
                tx.current = r;
                if (matches(r, r, tx)) {
                    act(r, tx);
                    if (r.skipAfter != null) {
                        next = phase == 1 ? r.skipTo1 : r.skipTo2;
                    }
                }
            }
            if (at.k >= 0) { // at a step of the path: a rule that reads the request
                Transaction.Snapshot s;
                if (!tx.dirty) { // it did nothing: as a quiet request, on to the next such rule it may trip
                    at.k = at.path.next(at.k, values);
                    s = at.path.steps[at.k];
                } else { // it did something: on along the branch for this state, if there is one
                    QuietPaths.Path branch = paths.branch(at.path.steps[at.k], next, tx);
                    at.path = branch;
                    at.k = branch == null ? -1 : branch.next(-1, values);
                    s = branch == null ? null : branch.steps[at.k];
                }
                if (s != null) {
                    tx.adopt(s);
                    if (s.phase() != phase) {
                        return;
                    }
                    next = s.index();
                    at.k = at.path.isLast(at.k) ? -1 : at.k;
                }
            }
            i = next;
        }
    }

    /**
     * Whether this link and every link after it match. A link's setvar and ctl actions run as soon
     * as it matches, before the next link looks (CRS chains read what the first link set).
     */
    private boolean matches(CrsRule link, CrsRule head, Transaction tx) {
        List<Var> matched = link.targets.isEmpty() ? List.of() : match(link, head, tx);
        if (!link.targets.isEmpty() && matched.isEmpty()) {
            return false;
        }
        // Indexed loops: this method recurses, so iterators here would escape and be allocated.
        List<SetVar> setvars = link.setvars;
        if (matched.isEmpty()) {
            for (int s = 0; s < setvars.size(); s++) {
                tx.setvar(setvars.get(s));
            }
        } else {
            matched = afterTransforms(link, matched);
            tx.matchedVars = matched;
            // As ModSecurity: setvar runs once per matched variable (921170 counts repeated parameters so).
            for (int m = 0; m < matched.size(); m++) {
                tx.matched(matched.get(m));
                for (int s = 0; s < setvars.size(); s++) {
                    tx.setvar(setvars.get(s));
                }
            }
        }
        for (int c = 0; c < link.ctls.size(); c++) {
            tx.ctl(link.ctls.get(c));
        }
        return link.next == null || matches(link.next, head, tx);
    }

    /**
     * MATCHED_VAR and MATCHED_VARS hold a value as the link's transformations left it, as in
     * ModSecurity: 932200's chain looks for the space {@code t:urlDecodeUni} made of a '+'. A
     * multiMatch link keeps the values as they were (it may have matched at any step).
     */
    private static List<Var> afterTransforms(CrsRule link, List<Var> matched) {
        if (link.multiMatch || link.transforms.isEmpty()) {
            return matched;
        }
        List<Var> out = new ArrayList<>(matched.size());
        for (Var v : matched) {
            String value = v.value();
            for (var f : link.transforms) {
                value = f.apply(value);
            }
            out.add(new Var(v.collection(), v.key(), value));
        }
        return out;
    }

    private List<Var> match(CrsRule link, CrsRule head, Transaction tx) {
        if (shortcuts && link.txKey != null && !tx.targetsRemoved(head)) {
            return matchTxKey(link, tx);
        }
        List<Var> matched = null;
        List<Var> values = tx.values(link, head);
        for (int k = 0; k < values.size(); k++) {
            Var v = values.get(k);
            if (verdict(link, v, tx)) {
                if (matched == null) {
                    matched = new ArrayList<>(2);
                }
                matched.add(v);
                tx.matched(v);
            }
        }
        return matched == null ? List.of() : matched;
    }

    /**
     * A link that reads one TX value by name (CRS's paranoia-level skips and score checks, about a
     * hundred per request) without building its variable list; the same verdict as {@link #verdict}.
     */
    private static List<Var> matchTxKey(CrsRule link, Transaction tx) {
        String value = txKeyValue(link, tx);
        if (value == null || !run(link, value, tx, null)) {
            return List.of();
        }
        List<Var> last = link.lastTxMatch;
        if (last == null || !last.get(0).value().equals(value)) {
            Var v = link.txCount ? new Var("&TX", link.txKey, value, link.txKey) : new Var("TX", link.txKey, value, link.txKey);
            last = List.of(v);
            link.lastTxMatch = last; // immutable: another thread may see it or an older one, either is right
        }
        tx.matched(last.get(0));
        return last;
    }

    private static String txKeyValue(CrsRule link, Transaction tx) {
        String value = tx.tx.get(link.txKey);
        return link.txCount ? (value == null ? "0" : "1") : value;
    }

    /**
     * Whether a link that reads one TX value by name and captures nothing matches, with no effect
     * on {@code tx} (the quiet paths ask it of the first link of a rule whose chain reads the request).
     */
    static boolean txKeyMatches(CrsRule link, Transaction tx) {
        String value = txKeyValue(link, tx);
        return value != null && run(link, value, tx, null);
    }

    /** Whether the link's operator matches this value: from the cache when it knows, else by running it. */
    private boolean verdict(CrsRule link, Var v, Transaction tx) {
        if (!shortcuts) {
            return run(link, v.value(), tx, null);
        }
        ValueSlots.Slot slot = tx.slots.slot(v.value());
        if (!link.pure || v.collection().charAt(0) == '&' || STATE.contains(v.collection())) {
            return run(link, v.value(), tx, slot);
        }
        ValueMemo memo = tx.slots.memo(slot, v.value());
        if (memo == null) {
            return run(link, v.value(), tx, slot);
        }
        byte known = memo.verdict(link.index);
        if (known == ValueMemo.UNKNOWN || known == ValueMemo.MATCH && link.capture && memo.captures(link.index) == null) {
            if (!link.capture) {
                boolean hit = run(link, v.value(), tx, slot);
                memo.verdict(link.index, hit);
                return hit;
            }
            tx.startRecording();
            boolean hit = run(link, v.value(), tx, slot);
            String[] groups = tx.stopRecording();
            if (hit && memo.captures(link.index) == null) {
                memo.captures(link.index, groups);
            }
            memo.verdict(link.index, hit);
            return hit;
        }
        if (known == ValueMemo.MATCH && link.capture) {
            tx.replay(memo.captures(link.index)); // sets TX:0-9 as the match did
        }
        return known == ValueMemo.MATCH;
    }

    /**
     * Runs the link's transformations and operator on one value. With a slot, transformations are
     * shared within the request and the prefilter may answer first; without, everything runs.
     */
    private static boolean run(CrsRule link, String value, Transaction tx, ValueSlots.Slot slot) {
        if (link.multiMatch) {
            String current = value;
            boolean hit = test(link, current, tx);
            for (int k = 0; k < link.transforms.size() && !hit; k++) {
                String next = link.transforms.get(k).apply(current);
                if (!next.equals(current)) {
                    hit = test(link, next, tx);
                }
                current = next;
            }
            return hit;
        }
        if (slot == null) {
            return test(link, ValueSlots.transformAll(link, value), tx);
        }
        String transformed = tx.slots.transform(link, slot, value);
        return (link.prefilterBit < 0 || tx.slots.mayMatch(link, slot, transformed)) && test(link, transformed, tx);
    }

    private static boolean test(CrsRule link, String value, Transaction tx) {
        return link.operator.match(value, tx, link.capture) != link.negated;
    }

    /** A rule that matched as a whole is reported if it logs and says what it found. */
    private static void act(CrsRule head, Transaction tx) {
        if (head.log && head.msg != null) {
            tx.fire(head);
        }
    }
}
