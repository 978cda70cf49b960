package caravan.enrich.crs;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The walk of a request that no rule reading it matches, worked out once per engine: the state on
 * reaching each rule that reads the request ({@link #at}); the rules between read only TX, so they
 * do the same for every such request. The last snapshot is where the path ends (the end of phase 2,
 * phase 3 here, or a TX-only rule that logs): from there every request walks on.
 * <p>A request that has left the path may rejoin it at one of those rules when the TX keys the
 * stretch ahead reads are as on the path: the stretch then writes what it wrote there.
 */
final class QuietPath {
    /** What the TX-only rules between two snapshots read and wrote on the path. */
    private record Stretch(String[] reads, String[] writes, BitSet heads, boolean rejoinable, boolean matchedChanged) {
    }

    private final List<Transaction.Snapshot> snapshots = new ArrayList<>();
    private final List<Stretch> stretches = new ArrayList<>();
    /** By phase and list index, the snapshot taken there (a rule reading the request), or -1. */
    private final int[][] snapshotAt;

    /** @param matches runs a rule on a transaction as the engine does, true when it matched */
    QuietPath(CrsRuleSet rules, Map<String, String> initialTx, BiPredicate<CrsRule, Transaction> matches) {
        snapshotAt = new int[][] {new int[0], minus1(rules.phase1.size()), minus1(rules.phase2.size())};
        Transaction q = new Transaction(new RequestData(), initialTx, rules, null);
        StretchBuilder stretch = null;
        for (int phase = 1; phase <= 2; phase++) {
            List<CrsRule> list = phase == 1 ? rules.phase1 : rules.phase2;
            int i = 0;
            while (i < list.size()) {
                CrsRule r = list.get(i);
                if (r.marker != null) {
                    i++;
                    continue;
                }
                Transaction.Snapshot here = q.snapshot(phase, i);
                if (!r.readsNoRequest()) {
                    if (stretch != null) {
                        stretches.add(stretch.build(q));
                    }
                    snapshotAt[phase][i] = snapshots.size();
                    snapshots.add(here); // taken as matching nothing
                    stretch = new StretchBuilder(q);
                    q.writes = stretch.writes;
                    i++;
                    continue;
                }
                q.current = r;
                boolean hit = matches.test(r, q);
                if (hit && r.log && r.msg != null) {
                    end(here, stretch, q);
                    return;
                }
                if (stretch != null) {
                    stretch.add(r);
                }
                i = hit && r.skipAfter != null ? (phase == 1 ? r.skipTo1 : r.skipTo2) : i + 1;
            }
        }
        end(q.snapshot(3, 0), stretch, q);
    }

    private void end(Transaction.Snapshot last, StretchBuilder stretch, Transaction q) {
        if (stretch != null) {
            stretches.add(stretch.build(q));
        }
        snapshots.add(last);
        q.writes = null;
    }

    private static int[] minus1(int n) {
        int[] a = new int[n];
        java.util.Arrays.fill(a, -1);
        return a;
    }

    int size() {
        return snapshots.size();
    }

    Transaction.Snapshot at(int k) {
        return snapshots.get(k);
    }

    /** The snapshot taken at this rule, or -1 (then no stretch starts here). */
    int snapshotAt(int phase, int index) {
        return index < snapshotAt[phase].length ? snapshotAt[phase][index] : -1;
    }

    /**
     * Whether a request off the path, at snapshot {@code k}'s rule (done with it), may skip the
     * stretch to snapshot {@code k + 1}: the stretch reads only TX keys whose values are as on the
     * path, and this request removed none of its rules or their targets.
     */
    boolean mayRejoin(int k, Transaction tx) {
        Stretch s = stretches.get(k);
        if (!s.rejoinable() || tx.removedAny(s.heads())) {
            return false;
        }
        Map<String, String> path = snapshots.get(k).tx();
        for (String key : s.reads()) {
            if (!Objects.equals(tx.tx.get(key), path.get(key))) {
                return false;
            }
        }
        return true;
    }

    /** Does what stretch {@code k} did on the path: its TX writes, and its matches if it had any. */
    void rejoin(int k, Transaction tx) {
        Stretch s = stretches.get(k);
        tx.writeAsOn(s.writes(), snapshots.get(k + 1), s.matchedChanged());
    }

    /** Gathers a stretch: the TX keys its rules read (by name only, else it cannot be rejoined) and wrote. */
    private static final class StretchBuilder {
        private final Set<String> reads = new LinkedHashSet<>();
        final List<String> writes = new ArrayList<>();
        private final BitSet heads = new BitSet();
        private boolean rejoinable = true;

        /** How many matches the path had made when the stretch began. */
        private final int matchesBefore;

        StretchBuilder(Transaction q) {
            this.matchesBefore = q.matches;
        }

        void add(CrsRule head) {
            heads.set(head.index);
            for (CrsRule link = head; link != null; link = link.next) {
                for (Target t : link.targets) {
                    rejoinable &= t.collection().equals("TX") && t.key() != null && t.keyRegex() == null;
                    reads.add(String.valueOf(t.key()));
                }
                rejoinable &= !link.capture && MacroText.of(link.operatorText).txReads(reads) && link.exclusions.isEmpty();
                for (SetVar sv : link.setvars) {
                    rejoinable &= !sv.nameMacro() && (sv.value() == null || sv.value().txReads(reads));
                    if (sv.key() != null && sv.value() != null
                            && (sv.value().text().startsWith("+") || sv.value().text().startsWith("-"))) {
                        reads.add(sv.key()); // relative: it reads the value it changes
                    }
                }
            }
        }

        Stretch build(Transaction q) {
            boolean matched = q.matches != matchesBefore;
            return new Stretch(reads.toArray(new String[0]), new LinkedHashSet<>(writes).toArray(new String[0]),
                    heads, rejoinable, matched);
        }
    }
}
