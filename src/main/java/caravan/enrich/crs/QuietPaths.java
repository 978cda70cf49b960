package caravan.enrich.crs;

import caravan.common.Metrics;
import caravan.enrich.crs.Transaction.Snapshot;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The walks that rules reading only TX make the same for every request, worked out once: the quiet
 * path (a request no rule reading it has matched) and its branches. A rule reading the request that
 * does something (a bookkeeping rule that notes the file extension, a ctl exclusion) leaves the
 * request in a state of its own: where it goes next, its TX, the ctl actions run so far. Requests
 * in the same state walk on the same way until the next rule reading the request, so the path on
 * from that state is worked out once too (the same walk as the quiet path) and kept in a bounded
 * cache; a request adopts it and goes on as quiet. A state that is new once the cache is full, or
 * too large to keep, is walked rule by rule as before, and counted.
 *
 * <p>MATCHED_VAR(S) are left out of the state (on the corpus they are what makes states unique: the
 * header name or extension just matched). That is right only while no TX rule on the way reads them
 * before a match of its own replaces them; the walk checks it and refuses the branch otherwise.
 * A request keeps its own MATCHED_VAR(S) until such a match ({@link Snapshot#ownMatched}).
 */
final class QuietPaths {
    /** Whether a rule (whole chain) matches from this TX: the engine's own walk. */
    interface Matcher {
        boolean matches(CrsRule head, Transaction tx);
    }

    /**
     * The state a branch goes on from: the snapshot the request was at, where it goes next, the TX
     * keys it changed each followed by its value ({@link TxValues#changedFrom}), the ctl actions run.
     */
    private record Key(int from, int next, String[] changed, List<String> ctls) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && from == k.from && next == k.next && Arrays.equals(changed, k.changed)
                    && ctls.equals(k.ctls);
        }

        @Override
        public int hashCode() {
            return ((from * 31 + next) * 31 + Arrays.hashCode(changed)) * 31 + ctls.hashCode();
        }

        @Override
        public String toString() {
            return "Key[from=" + from + ", next=" + next + ", changed=" + Arrays.toString(changed) + ", ctls=" + ctls + "]";
        }
    }

    /** A state larger than this (characters of changed TX keys, values, ctl texts) is not kept. */
    static final int LARGEST_STATE = 1024;
    private static final Set<String> MATCHED = Set.of("MATCHED_VAR", "MATCHED_VARS", "MATCHED_VAR_NAME", "MATCHED_VARS_NAMES");
    /** What the operator of a first link decided here may read: nothing of the request, MATCHED_* only when known. */
    private static final Set<String> TX = Set.of("TX");
    private static final Set<String> TX_MATCHED = Set.of("TX", "MATCHED_VAR", "MATCHED_VARS", "MATCHED_VAR_NAME", "MATCHED_VARS_NAMES");
    /** Cached for a state whose walk reads a stale MATCHED_VAR: such requests walk rule by rule. */
    private static final Path REFUSED = new Path(List.of(), new int[0]);

    private final CrsRuleSet rules;
    private final Matcher matcher;
    /** The quiet path proper, from the first rule. */
    final Path quiet;
    private final Map<Key, Path> branches = new ConcurrentHashMap<>();
    private final int capacity;
    private final AtomicInteger ids = new AtomicInteger();
    /** By head index: the rule reads nothing of the request ({@link CrsRule#readsNoRequest}); it reads MATCHED_*. */
    private final boolean[] txOnly;
    private final boolean[] readsMatched;
    private final LongAdder taken = new LongAdder();
    private final LongAdder walked = new LongAdder();
    private final Counter full;
    private final Counter large;
    private final Counter matchedRead;

    /** @param capacity how many branch states to keep ({@code caravan.enrich.crs.branch-cache-size}); 0 keeps none */
    QuietPaths(CrsRuleSet rules, Map<String, String> initialTx, Matcher matcher, int capacity) {
        this.rules = rules;
        this.matcher = matcher;
        this.capacity = capacity;
        this.txOnly = new boolean[rules.links];
        this.readsMatched = new boolean[rules.links];
        for (List<CrsRule> list : List.of(rules.phase1, rules.phase2)) {
            for (CrsRule r : list) {
                if (r.marker == null) {
                    txOnly[r.index] = r.readsNoRequest();
                    readsMatched[r.index] = readsMatchedFirst(r);
                }
            }
        }
        String name = "caravan.enrich.crs.quiet.walked";
        this.full = Metrics.registry().counter(name, "reason", "cache_full");
        this.large = Metrics.registry().counter(name, "reason", "state_too_large");
        this.matchedRead = Metrics.registry().counter(name, "reason", "matched_var_read");
        this.quiet = walk(new Transaction(new RequestData(), initialTx, rules, null), 1, 0, false);
    }

    /**
     * The path on from {@code tx}'s state, the request having left {@code from} (the rule there did
     * something) for list entry {@code next}; null when the request must walk rule by rule.
     */
    Path branch(Snapshot from, int next, Transaction tx) {
        Key key = key(from, next, tx);
        if (key == null) {
            large.increment();
            walked.increment();
            return null;
        }
        Path path = branches.get(key);
        if (path == null) {
            if (branches.size() >= capacity) { // an attacker's endless new states must not grow the heap
                full.increment();
                walked.increment();
                return null;
            }
            path = branches.computeIfAbsent(key, k -> build(k, from));
        }
        if (path == REFUSED) {
            matchedRead.increment();
            walked.increment();
            return null;
        }
        taken.increment();
        return path;
    }

    private static Key key(Snapshot from, int next, Transaction tx) {
        String[] changed = tx.tx.changedFrom(from.tx());
        int size = 0;
        for (String s : changed) {
            size += s == null ? 0 : s.length();
        }
        List<String> ctls = tx.ctlsRun();
        for (int c = 0; c < ctls.size(); c++) {
            size += ctls.get(c).length();
        }
        return size > LARGEST_STATE ? null : new Key(from.id(), next, changed, List.copyOf(ctls));
    }

    /** The state of {@code key} rebuilt without the request (TX, ctl exclusions), walked from its next entry. */
    private Path build(Key key, Snapshot from) {
        Transaction q = new Transaction(new RequestData(), from.tx(), rules, null);
        String[] changed = key.changed();
        for (int c = 0; c < changed.length; c += 2) {
            if (changed[c + 1] == null) {
                q.tx.remove(changed[c]);
            } else {
                q.tx.put(changed[c], changed[c + 1]);
            }
        }
        for (String ctl : key.ctls()) {
            q.runCtl(ctl, true);
        }
        Path path = walk(q, from.phase(), key.next(), true);
        return path == null ? REFUSED : path;
    }

    /**
     * The quiet walk from list entry {@code start} of {@code phase}: a snapshot at each rule that
     * reads the request (taken as matching nothing), TX rules run; the last snapshot is where the
     * path ends (a TX rule that logs, or phase 3: the end). Rules the state's ctl actions removed are
     * passed over. For a branch ({@code branch}), null when a TX rule would read MATCHED_VAR(S)
     * before any rule on the way matched.
     */
    private Path walk(Transaction q, int phase, int start, boolean branch) {
        List<Snapshot> path = new ArrayList<>();
        List<Integer> gates = new ArrayList<>();
        Map<String, String> txCopy = null;
        int copiedAt = -1;
        for (int p = phase; p <= 2; p++) {
            List<CrsRule> list = p == 1 ? rules.phase1 : rules.phase2;
            int i = p == phase ? start : 0;
            while (i < list.size()) {
                CrsRule r = list.get(i);
                if (r.marker != null || q.removed(r)) {
                    i++;
                    continue;
                }
                boolean own = branch && q.matches() == 0;
                if (!txOnly[r.index] && quietByTx(r, q, own)) {
                    i++; // no request in this state trips it: no step
                    continue;
                }
                boolean stop = txOnly[r.index] && r.log && r.msg != null; // may fire: the path would end here
                Snapshot here = null;
                if (!txOnly[r.index] || stop) {
                    if (copiedAt != q.writes()) { // TX rules write rarely: snapshots share a copy while none does
                        txCopy = q.tx.copy();
                        copiedAt = q.writes();
                    }
                    here = q.snapshot(ids.getAndIncrement(), p, i, txCopy, own);
                }
                if (!txOnly[r.index]) {
                    path.add(here);
                    gates.add(r.valueKinds != 0 ? r.index : -1);
                    i++;
                    continue;
                }
                if (own && readsMatched[r.index]) {
                    return null;
                }
                q.current = r;
                boolean hit = matcher.matches(r, q);
                if (hit && stop) {
                    path.add(here);
                    gates.add(-1);
                    return new Path(path, gates.stream().mapToInt(Integer::intValue).toArray());
                }
                i = hit && r.skipAfter != null ? (p == 1 ? r.skipTo1 : r.skipTo2) : i + 1;
            }
        }
        path.add(q.snapshot(ids.getAndIncrement(), 3, 0, copiedAt == q.writes() ? txCopy : q.tx.copy(),
                branch && q.matches() == 0));
        gates.add(-1);
        return new Path(path, gates.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Whether a rule that reads the request does nothing in {@code q}'s state whatever the request:
     * its first link reads one TX value (911015's paranoia-level check, 920380's {@code &TX:max_num_args})
     * and does not match it. Such a link has no effect while it does not match.
     */
    private static boolean quietByTx(CrsRule r, Transaction q, boolean ownMatched) {
        return shortcutTx(r) && !q.targetsRemoved(r) && MacroText.of(r.operatorText).refersOnlyTo(ownMatched ? TX : TX_MATCHED)
                && !CrsEngine.txKeyMatches(r, q);
    }

    /** As the engine's walk: a link read by TX key name, its verdict free of side effects when it captures nothing. */
    private static boolean shortcutTx(CrsRule link) {
        return link.txKey != null && !link.capture && link.operator != null;
    }

    /**
     * Whether the rule reads MATCHED_VAR(S) or their names before a match of its own replaces them:
     * in a target or operator of a link up to the first link with targets (its match replaces
     * them before its setvars run), or in a setvar of a link without targets before it.
     */
    private static boolean readsMatchedFirst(CrsRule head) {
        for (CrsRule link = head; link != null; link = link.next) {
            if (MacroText.of(link.operatorText).refersToAny(MATCHED)) {
                return true;
            }
            for (Target t : link.targets) {
                if (MATCHED.contains(t.collection())) {
                    return true;
                }
            }
            if (!link.targets.isEmpty()) {
                return false;
            }
            for (SetVar sv : link.setvars) {
                if (sv.nameText().refersToAny(MATCHED) || sv.value() != null && sv.value().refersToAny(MATCHED)) {
                    return true;
                }
            }
            for (String ctl : link.ctls) {
                if (MacroText.of(ctl).refersToAny(MATCHED)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * A quiet path: its snapshots, the last where it ends (the request walks on from there), and
     * which of them a request may pass over.
     */
    static final class Path {
        final Snapshot[] steps;
        /**
         * By step: the head index of its rule when the rule runs only for requests whose values may
         * match it ({@link RequestValues#candidate}), else -1: every request stops there.
         */
        private final int[] gates;

        Path(List<Snapshot> steps, int[] gates) {
            this.steps = steps.toArray(new Snapshot[0]);
            this.gates = gates;
        }

        /**
         * The first step after {@code k} where a request with these candidates stops: its rule may
         * match, or the path ends. The rules passed over would do nothing, so neither does the request.
         */
        int next(int k, RequestValues values) {
            int j = k + 1;
            while (gates[j] >= 0 && !values.candidate(gates[j])) {
                j++;
            }
            return j;
        }

        boolean isLast(int k) {
            return k == steps.length - 1;
        }
    }

    /** Requests that went on along a cached branch, and those that walked on rule by rule instead. */
    long taken() {
        return taken.sum();
    }

    long walked() {
        return walked.sum();
    }

    /** The branch states kept. */
    int states() {
        return branches.size();
    }
}
