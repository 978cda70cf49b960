package caravan.enrich.crs;

import caravan.enrich.crs.RequestData.Var;
import caravan.event.LogEvent;
import caravan.parse.Corpus;
import caravan.parse.Parsers;
import com.github.benmanes.caffeine.cache.Cache;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where CRS's time per event goes (issue 16): exclusive stages timed in thread CPU over the corpus
 * (request set-up only; set-up and the walk with every head stubbed to "no match"; the real engine),
 * then an instrumented copy of the engine's walk that times each head, operator, transformation,
 * prefilter scan and cache lookup with System.nanoTime (tsc) and counts them.
 *
 * <pre>nice -n 19 java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) caravan.enrich.crs.CrsCostProbe [rounds]</pre>
 */
public final class CrsCostProbe {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private CrsCostProbe() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/corpus/apache_combined_10k.log"), StandardCharsets.UTF_8);
        Map<String, String> settings = Map.of("caravan.enrich.crs.dir", "src/test/resources/crs/rules",
                "caravan.enrich.crs.exclusions-before", "crs-exclusions.conf");
        CrsEnricher enricher = CrsSettings.enricher(settings::get);
        CrsEngine engine = enricher.engine();
        List<String> headers = List.of("user-agent", "referer", "host");
        List<LogEvent> events = new ArrayList<>();
        Corpus.parsed(lines, Parsers.forFormat("combined"), (line, e) -> events.add(e));
        Probe p = new Probe(engine);
        List<RequestData> reqs = new ArrayList<>();
        for (LogEvent e : events) {
            reqs.add(RequestData.of(e, headers));
        }
        String[] names = {"RequestData.of", "+ new Transaction only", "TX map copy (last quiet snapshot), alone", "+ Transaction, RequestValues, adopt", "+ walk, heads stubbed no-match", "+ walk, request-reading heads stubbed",
            "real engine.evaluate (prebuilt RequestData)", "probe copy untimed, -Dstub ids stubbed (prebuilt)", "real enricher.enrich (all in)", "instrumented walk (timers on, -Dstub too)"};
        long[][] t = new long[names.length][rounds];
        long sink = 0;
        for (int r = -3; r < rounds; r++) {
            long[] x = new long[names.length];
            long t0 = CPU.getCurrentThreadCpuTime();
            for (LogEvent e : events) {
                sink += RequestData.of(e, headers).args.size();
            }
            x[0] = CPU.getCurrentThreadCpuTime() - t0;
            t0 = CPU.getCurrentThreadCpuTime();
            for (LogEvent e : events) {
                sink += new Transaction(RequestData.of(e, headers), p.initialTx, p.rules, p.memo).fired.size();
            }
            x[1] = CPU.getCurrentThreadCpuTime() - t0;
            Map<String, String> last = p.quiet.get(p.quiet.size() - 1).tx();
            t0 = CPU.getCurrentThreadCpuTime();
            for (int i = 0; i < events.size(); i++) {
                sink += new HashMap<>(last).size();
            }
            x[2] = CPU.getCurrentThreadCpuTime() - t0;
            for (int mode = 0; mode < 3; mode++) {
                t0 = CPU.getCurrentThreadCpuTime();
                for (LogEvent e : events) {
                    sink += p.evaluate(RequestData.of(e, headers), mode == 0 ? Probe.SETUP : mode == 1 ? Probe.STUB : Probe.STUB_REQ);
                }
                x[3 + mode] = CPU.getCurrentThreadCpuTime() - t0;
            }
            t0 = CPU.getCurrentThreadCpuTime();
            for (RequestData q : reqs) {
                sink += engine.evaluate(q).anomalyScore();
            }
            x[6] = CPU.getCurrentThreadCpuTime() - t0;
            t0 = CPU.getCurrentThreadCpuTime();
            for (RequestData q : reqs) {
                sink += p.evaluate(q, Probe.REAL_UNTIMED);
            }
            x[7] = CPU.getCurrentThreadCpuTime() - t0;
            t0 = CPU.getCurrentThreadCpuTime();
            for (LogEvent e : events) {
                enricher.enrich(e);
            }
            x[8] = CPU.getCurrentThreadCpuTime() - t0;
            p.reset();
            t0 = CPU.getCurrentThreadCpuTime();
            for (RequestData q : reqs) {
                sink += p.evaluate(q, Probe.REAL);
            }
            x[9] = CPU.getCurrentThreadCpuTime() - t0;
            if (r >= 0) {
                for (int k = 0; k < names.length; k++) {
                    t[k][r] = x[k];
                }
            }
        }
        System.out.println("== exclusive stages, thread CPU, median of " + rounds + " rounds over " + events.size() + " events");
        for (int k = 0; k < names.length; k++) {
            long[] s = t[k].clone();
            Arrays.sort(s);
            System.out.printf("%-46s %8.0f ns/event (min %.0f max %.0f)%n", names[k], s[s.length / 2] / (double) events.size(),
                    s[0] / (double) events.size(), s[s.length - 1] / (double) events.size());
        }
        p.report(events.size());
        int differ = 0;
        for (RequestData q : reqs) {
            differ += p.evaluate(q, Probe.REAL_UNTIMED) == engine.evaluate(q).anomalyScore() ? 0 : 1;
        }
        System.out.println("events whose anomaly score differs from the engine's with -Dstub: " + differ);
        System.out.println("quiet path snapshots " + p.quiet.size() + ", TX entries at its end " + p.quiet.get(p.quiet.size() - 1).tx().size()
                + ", at its start " + p.quiet.get(0).tx().size() + ", ends at phase " + p.quiet.get(p.quiet.size() - 1).phase() + " index " + p.quiet.get(p.quiet.size() - 1).index()
                + " of " + p.rules.phase1.size() + "/" + p.rules.phase2.size() + "; links " + p.rules.links + ", rules " + (p.rules.phase1.size() + p.rules.phase2.size()));
        QuietPaths paths = engine.paths();
        System.out.println("quiet branches: taken " + paths.taken() + ", walked instead " + paths.walked() + ", states kept "
                + paths.states() + " (all passes)");
        System.out.println("load " + Files.readString(Path.of("/proc/loadavg")).strip() + (sink == 42 ? "!" : ""));
    }

    /** A copy of {@link CrsEngine}'s evaluate/run/matches/verdict with timers and counters. */
    static final class Probe {
        static final int SETUP = 0;
        static final int STUB = 1;
        static final int REAL = 2;
        static final int STUB_REQ = 3;
        static final int REAL_UNTIMED = 4;
        /** Heads (rule ids) treated as matching nothing in REAL_UNTIMED: -Dstub=920450,920440 */
        final java.util.Set<Integer> stubbed = new java.util.HashSet<>();
        /** By rule id: where the request left the quiet path (first thing it did). */
        final Map<Integer, Integer> leftAt = new java.util.TreeMap<>();
        /** By link index: the head reads nothing of the request (TX only). */
        final boolean[] txOnly;
        final CrsRuleSet rules;
        final Map<String, String> initialTx;
        final int paranoiaLevel;
        final List<Transaction.Snapshot> quiet;
        final java.util.function.Function<String, ValueMemo> memo;
        // per link index
        final long[] headNs;
        final long[] headN;
        final long[] opNs;
        final long[] opN;
        final long[] opCaptureN;
        final CrsRule[] byIndex;
        long setupNs;
        long mayMatchNs;
        long mayMatchN;
        long transformNs;
        long transformN;
        long prefilterNs;
        long prefilterN;
        long memoNs;
        long memoN;
        long valuesNs;
        long valuesN;
        long setvarNs;
        long setvarN;
        long walkNs;
        long scoreNs;
        long cachedVerdicts;
        long slotNs;
        long afterTransformNs;
        long txKeyNs;
        long txKeyN;
        final Map<String, Long> transformByChainNs = new HashMap<>();

        @SuppressWarnings("unchecked")
        Probe(CrsEngine e) throws Exception {
            rules = (CrsRuleSet) field(e, "rules");
            initialTx = (Map<String, String>) field(e, "initialTx");
            paranoiaLevel = (Integer) field(e, "paranoiaLevel");
            quiet = Arrays.asList(e.paths().quiet.steps);
            Cache<String, ValueMemo> verdicts = (Cache<String, ValueMemo>) field(e, "verdicts");
            memo = v -> v.length() > 1024 ? null : verdicts.get(v, k -> new ValueMemo(rules.links));
            headNs = new long[rules.links];
            headN = new long[rules.links];
            opNs = new long[rules.links];
            opN = new long[rules.links];
            opCaptureN = new long[rules.links];
            byIndex = new CrsRule[rules.links];
            txOnly = new boolean[rules.links];
            for (String id : System.getProperty("stub", "").split(",")) {
                if (!id.isBlank()) {
                    stubbed.add(Integer.parseInt(id.trim()));
                }
            }
            for (List<CrsRule> l : List.of(rules.phase1, rules.phase2)) {
                for (CrsRule r : l) {
                    if (r.index >= 0) {
                        txOnly[r.index] = r.readsNoRequest();
                    }
                    for (CrsRule k = r; k != null; k = k.next) {
                        if (k.index >= 0) {
                            byIndex[k.index] = k;
                        }
                    }
                }
            }
        }

        private static Object field(Object o, String name) throws Exception {
            Field f = o.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(o);
        }

        final java.util.Set<String> effects = new java.util.HashSet<>();
        final java.util.Set<String> effectsTx = new java.util.HashSet<>();

        void reset() {
            effects.clear();
            effectsTx.clear();
            leftAt.clear();
            Arrays.fill(headNs, 0);
            Arrays.fill(headN, 0);
            Arrays.fill(opNs, 0);
            Arrays.fill(opN, 0);
            Arrays.fill(opCaptureN, 0);
            setupNs = mayMatchNs = mayMatchN = transformNs = transformN = prefilterNs = prefilterN = memoNs = memoN = 0;
            valuesNs = valuesN = setvarNs = setvarN = walkNs = scoreNs = cachedVerdicts = slotNs = afterTransformNs = 0;
            txKeyNs = txKeyN = 0;
            transformByChainNs.clear();
        }

        private boolean timing;

        private long now() {
            return timing ? System.nanoTime() : 0;
        }

        int evaluate(RequestData request, int mode) {
            timing = mode == REAL;
            long t0 = System.nanoTime();
            Transaction tx = new Transaction(request, initialTx, rules, memo);
            RequestValues values = new RequestValues(request, tx);
            tx.values = values;
            int k = 0;
            tx.adopt(quiet.get(0));
            long t1 = System.nanoTime();
            if (mode == SETUP) {
                return tx.fired.size();
            }
            k = run(1, rules.phase1, tx, values, k, mode);
            run(2, rules.phase2, tx, values, k, mode);
            long t2 = System.nanoTime();
            int score = 0;
            for (int pl = 1; pl <= paranoiaLevel; pl++) {
                score += (int) Operators.number(tx.tx.getOrDefault("inbound_anomaly_score_pl" + pl, "0"));
            }
            long t3 = System.nanoTime();
            if (timing) {
                setupNs += t1 - t0;
                walkNs += t2 - t1;
                scoreNs += t3 - t2;
            }
            return score;
        }

        private int run(int phase, List<CrsRule> list, Transaction tx, RequestValues values, int k, int mode) {
            int i = 0;
            if (k >= 0) {
                Transaction.Snapshot at = quiet.get(k);
                if (at.phase() != phase) {
                    return k;
                }
                i = at.index();
                k = k == quiet.size() - 1 ? -1 : k;
            }
            int[][] walk = phase == 1 ? rules.walk1 : rules.walk2;
            int[] heads = walk[0];
            int[] kinds = walk[1];
            while (i < list.size()) {
                int next = i + 1;
                int head = heads[i];
                CrsRule r = head < 0 || kinds[i] != 0 && !values.candidate(head) ? null : list.get(i);
                boolean may = false;
                if (r != null) {
                    long a = timing ? System.nanoTime() : 0;
                    may = r.valueKinds == 0 || values.mayMatch(r, tx);
                    if (timing && r.valueKinds != 0) {
                        mayMatchNs += System.nanoTime() - a;
                        mayMatchN++;
                    }
                }
                if (r != null && may && !tx.removed(r) && ((mode == REAL || mode == REAL_UNTIMED) && !stubbed.contains(r.id) || mode == STUB_REQ && txOnly[r.index])) {
                    tx.current = r;
                    long a = timing ? System.nanoTime() : 0;
                    boolean hit = matches(r, r, tx);
                    if (hit) {
                        if (r.log && r.msg != null) {
                            tx.fire(r);
                        }
                        if (r.skipAfter != null) {
                            next = phase == 1 ? r.skipTo1 : r.skipTo2;
                        }
                    }
                    if (timing) {
                        headNs[r.index] += System.nanoTime() - a;
                        headN[r.index]++;
                    }
                }
                if (k >= 0) {
                    if (tx.dirty) {
                        k = -1;
                        if (timing) {
                            leftAt.merge(r == null ? -1 : r.id, 1, Integer::sum);
                            // the state a branch of the quiet path would be keyed by (ctl effects follow from the rule id)
                            effects.add((r == null ? -1 : r.id) + " " + new java.util.TreeMap<>(tx.tx) + " " + tx.matchedVar + " " + tx.fired.size());
                            effectsTx.add((r == null ? -1 : r.id) + " " + new java.util.TreeMap<>(tx.tx));
                        }
                    } else {
                        Transaction.Snapshot s = quiet.get(++k);
                        tx.adopt(s);
                        if (s.phase() != phase) {
                            return k;
                        }
                        next = s.index();
                        k = k == quiet.size() - 1 ? -1 : k;
                    }
                }
                i = next;
            }
            return k;
        }

        private boolean matches(CrsRule link, CrsRule head, Transaction tx) {
            List<Var> matched = link.targets.isEmpty() ? List.of() : match(link, head, tx);
            if (!link.targets.isEmpty() && matched.isEmpty()) {
                return false;
            }
            long a = now();
            List<SetVar> setvars = link.setvars;
            if (matched.isEmpty()) {
                for (int s = 0; s < setvars.size(); s++) {
                    tx.setvar(setvars.get(s));
                    setvarN++;
                }
            } else {
                long b = now();
                matched = afterTransforms(link, matched);
                afterTransformNs += now() - b;
                tx.matchedVars = matched;
                for (int m = 0; m < matched.size(); m++) {
                    tx.matched(matched.get(m));
                    for (int s = 0; s < setvars.size(); s++) {
                        tx.setvar(setvars.get(s));
                        setvarN++;
                    }
                }
            }
            for (int c = 0; c < link.ctls.size(); c++) {
                tx.ctl(link.ctls.get(c));
            }
            setvarNs += now() - a;
            return link.next == null || matches(link.next, head, tx);
        }

        private List<Var> afterTransforms(CrsRule link, List<Var> matched) {
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
            if (link.txKey != null && !tx.targetsRemoved(head)) {
                long a = now();
                List<Var> out = matchTxKey(link, tx);
                txKeyNs += now() - a;
                txKeyN++;
                return out;
            }
            List<Var> matched = null;
            long a = now();
            List<Var> values = tx.values(link, head);
            valuesNs += now() - a;
            valuesN++;
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

        private List<Var> matchTxKey(CrsRule link, Transaction tx) {
            String value = tx.tx.get(link.txKey);
            if (link.txCount) {
                value = value == null ? "0" : "1";
            }
            if (value == null || !test(link, value, tx)) {
                return List.of();
            }
            List<Var> last = link.lastTxMatch;
            if (last == null || !last.get(0).value().equals(value)) {
                Var v = link.txCount ? new Var("&TX", link.txKey, value, link.txKey) : new Var("TX", link.txKey, value, link.txKey);
                last = List.of(v);
                link.lastTxMatch = last;
            }
            tx.matched(last.get(0));
            return last;
        }

        private static final java.util.Set<String> STATE = java.util.Set.of("TX", "MATCHED_VAR", "MATCHED_VARS", "MATCHED_VAR_NAME",
                "MATCHED_VARS_NAMES");

        private boolean verdict(CrsRule link, Var v, Transaction tx) {
            long a = now();
            ValueSlots.Slot slot = tx.slots.slot(v.value());
            slotNs += now() - a;
            if (!link.pure || v.collection().charAt(0) == '&' || STATE.contains(v.collection())) {
                return run(link, v.value(), tx, slot);
            }
            a = now();
            ValueMemo memo = tx.slots.memo(slot, v.value());
            memoNs += now() - a;
            memoN++;
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
                opCaptureN[link.index]++;
                tx.startRecording();
                boolean hit = run(link, v.value(), tx, slot);
                String[] groups = tx.stopRecording();
                if (hit && memo.captures(link.index) == null) {
                    memo.captures(link.index, groups);
                }
                memo.verdict(link.index, hit);
                return hit;
            }
            cachedVerdicts++;
            if (known == ValueMemo.MATCH && link.capture) {
                tx.replay(memo.captures(link.index));
            }
            return known == ValueMemo.MATCH;
        }

        private boolean run(CrsRule link, String value, Transaction tx, ValueSlots.Slot slot) {
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
            long a = now();
            String transformed = tx.slots.transform(link, slot, value);
            long d = now() - a;
            transformNs += d;
            transformN++;
            transformByChainNs.merge(link.transformKey, d, Long::sum);
            if (link.prefilterBit >= 0) {
                a = now();
                boolean may = tx.slots.mayMatch(link, slot, transformed);
                prefilterNs += now() - a;
                prefilterN++;
                if (!may) {
                    return false;
                }
            }
            return test(link, transformed, tx);
        }

        private boolean test(CrsRule link, String value, Transaction tx) {
            long a = now();
            boolean hit = link.operator.match(value, tx, link.capture) != link.negated;
            opNs[link.index] += now() - a;
            opN[link.index]++;
            return hit;
        }

        void report(int events) {
            double n = events;
            System.out.println("== instrumented REAL walk (last round), ns per event (nanoTime, inclusive where nested)");
            System.out.printf("setup (Transaction+RequestValues+adopt) %8.0f%n", setupNs / n);
            System.out.printf("walk total                              %8.0f%n", walkNs / n);
            System.out.printf("  mayMatch                              %8.0f  (%.1f/event)%n", mayMatchNs / n, mayMatchN / n);
            System.out.printf("  heads evaluated (inclusive)           %8.0f  (%.1f/event)%n", Arrays.stream(headNs).sum() / n,
                    Arrays.stream(headN).sum() / n);
            System.out.printf("    operators                           %8.0f  (%.1f runs/event)%n", Arrays.stream(opNs).sum() / n,
                    Arrays.stream(opN).sum() / n);
            System.out.printf("    transforms (slot cache incl.)       %8.0f  (%.1f/event)%n", transformNs / n, transformN / n);
            System.out.printf("    prefilter (AC scan on miss)         %8.0f  (%.1f/event)%n", prefilterNs / n, prefilterN / n);
            System.out.printf("    memo lookups (Caffeine on miss)     %8.0f  (%.1f/event)%n", memoNs / n, memoN / n);
            System.out.printf("    slot lookups (HashMap)              %8.0f%n", slotNs / n);
            System.out.printf("    values() lists built                %8.0f  (%.1f/event)%n", valuesNs / n, valuesN / n);
            System.out.printf("    txKey links (incl. their operator)  %8.0f  (%.1f/event)%n", txKeyNs / n, txKeyN / n);
            System.out.printf("    setvar+ctl+afterTransforms          %8.0f  (%.1f setvars/event; afterTransforms %.0f)%n", setvarNs / n, setvarN / n, afterTransformNs / n);
            System.out.printf("    cached verdicts used                %8.1f /event%n", cachedVerdicts / n);
            System.out.printf("score                                   %8.0f%n", scoreNs / n);
            System.out.println("== top heads by inclusive ns/event: id, evals/event, ns/event, op runs of its links/event");
            Integer[] order = new Integer[headNs.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (x, y) -> Long.compare(headNs[y], headNs[x]));
            for (int j = 0; j < 25 && headNs[order[j]] > 0; j++) {
                CrsRule r = byIndex[order[j]];
                StringBuilder links = new StringBuilder();
                for (CrsRule l = r; l != null; l = l.next) {
                    links.append(String.format(" [%s @%s t=%s: %.2f runs %.0f ns cap-reruns %.2f]", l.targets.isEmpty() ? "-" : l.targets.get(0).collection()
                            + (l.targets.size() > 1 ? "+" + (l.targets.size() - 1) : ""), abbreviate(l.operatorText), l.transformKey,
                            opN[l.index] / n, opNs[l.index] / n, opCaptureN[l.index] / n));
                }
                System.out.printf("%7d %5.2f %7.0f%s%n", r.id, headN[order[j]] / n, headNs[order[j]] / n, links);
            }
            System.out.println("== top links by operator ns/event");
            Arrays.sort(order, (x, y) -> Long.compare(opNs[y], opNs[x]));
            for (int j = 0; j < 15 && opNs[order[j]] > 0; j++) {
                CrsRule l = byIndex[order[j]];
                System.out.printf("link %4d %-60s %6.2f runs %7.0f ns%n", l.index, abbreviate(l.operatorText), opN[l.index] / n, opNs[l.index] / n);
            }
            System.out.println("== where requests left the quiet path (rule id=events): " + leftAt
                    + "; distinct states there (rule, TX, MATCHED_VAR, fired): " + effects.size() + "; by (rule, TX) only: " + effectsTx.size());
            System.out.println("== transforms by chain ns/event");
            transformByChainNs.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(8)
                    .forEach(en -> System.out.printf("%7.0f %s%n", en.getValue() / n, en.getKey()));
        }

        private static String abbreviate(String s) {
            return s.length() > 40 ? s.substring(0, 40) + "..." : s;
        }
    }
}
