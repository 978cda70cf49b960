package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("logs-raw", 0);
    private static final TopicPartition P1 = new TopicPartition("logs-raw", 1);

    @Test
    void anUnsettledRecordHoldsBackItsPartitionOnly() {
        OffsetTracker t = new OffsetTracker();
        for (long o = 10; o < 14; o++) {
            t.add(P0, o);
        }
        t.add(P1, 5);
        t.processed(P0, 11);
        t.processed(P0, 12);
        t.processed(P1, 5);
        assertThat(t.committable()).containsOnly(Map.entry(P1, new OffsetAndMetadata(6)));
        assertThat(t.pending()).isEqualTo(2);
        assertThat(t.isPending(P0, 10)).isTrue();
        t.processed(P0, 10);
        assertThat(t.committableOffset(P0)).isEqualTo(13); // 10, 11, 12 done; 13 not yet
        t.committed(t.committable());
        assertThat(t.committable()).isEmpty(); // nothing new since the commit
        t.processed(P0, 13);
        assertThat(t.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(14)));
        assertThat(t.next(P0)).isEqualTo(14);
    }

    @Test
    void gapsInOffsetsDoNotHoldBackTheCommit() {
        OffsetTracker t = new OffsetTracker();
        // Compacted topics and transaction markers leave holes between records.
        t.add(P0, 3);
        t.add(P0, 7);
        t.processed(P0, 7);
        assertThat(t.committable()).isEmpty();
        t.processed(P0, 3);
        assertThat(t.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(8)));
    }

    @Test
    void revokedPartitionsHandOverWhatIsDoneAndForgetTheRest() {
        OffsetTracker t = new OffsetTracker();
        t.add(P0, 1);
        t.add(P0, 2);
        t.add(P1, 1);
        t.processed(P0, 1);
        assertThat(t.revoke(List.of(P0))).containsOnly(Map.entry(P0, new OffsetAndMetadata(2)));
        t.processed(P0, 2); // the batch still in flight finishes after the rebalance: not ours to commit
        assertThat(t.committable()).isEmpty();
        assertThat(t.partitions()).containsOnly(P1);
        // Assigned again later: consumption starts again from the committed offset.
        t.add(P0, 2);
        t.processed(P0, 2);
        assertThat(t.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(3)));
        t.forget(List.of(P1));
        t.clear();
        assertThat(t.pending()).isZero();
        assertThat(t.committable()).isEmpty();
    }

    /** The tracker remembers the last key object it looked up; a partition dropped and assigned again must start afresh. */
    @Test
    void aPartitionForgottenAndAddedAgainUnderTheSameKeyObjectStartsAfresh() {
        OffsetTracker t = new OffsetTracker();
        TopicPartition tp = new TopicPartition("raw", 0);
        t.add(tp, 5);
        t.processed(tp, 5);
        assertThat(t.committableOffset(tp)).isEqualTo(6);
        t.forget(List.of(new TopicPartition("raw", 0))); // an equal key, not the same object
        assertThat(t.committableOffset(tp)).isEqualTo(-1);
        t.add(tp, 7);
        assertThat(t.isPending(tp, 7)).isTrue();
        t.processed(tp, 7);
        assertThat(t.committableOffset(tp)).isEqualTo(8);
        t.clear();
        t.add(tp, 9);
        assertThat(t.pending()).isEqualTo(1);
        assertThat(t.next(tp)).isEqualTo(10);
    }

    @Test
    void recordsPolledBeforeAnAssignmentNeverPassForItsStart() {
        OffsetTracker t = new OffsetTracker();
        t.assigned(List.of(P0), Map.of(P0, 100L)); // the fetch starts again at the commit, 100
        for (long o = 130; o < 140; o++) { // camel-kafka still held these from a poll before the rebalance
            t.add(P0, o);
            t.processed(P0, o);
        }
        t.add(P0, 90); // committed already
        assertThat(t.isPending(P0, 90)).isFalse();
        assertThat(t.committable()).isEmpty(); // 100..129 are not done: 140 would skip them
        t.add(P0, 100); // the fetch's first record: what came before it comes again after it
        assertThat(t.isPending(P0, 130)).isFalse();
        for (long o = 101; o < 140; o++) {
            t.add(P0, o);
        }
        for (long o = 100; o < 135; o++) {
            t.processed(P0, o);
        }
        assertThat(t.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(135)));
        assertThat(t.pending()).isEqualTo(5);
    }

    @Test
    void anAssignmentWithoutAKnownStartWaitsThenCountsFromTheLowestRecord() {
        OffsetTracker t = new OffsetTracker();
        t.add(P0, 7);
        t.processed(P0, 7);
        t.assigned(List.of(P0), Map.of());
        t.add(P0, 130); // polled before the assignment, first to arrive
        t.processed(P0, 130);
        t.add(P0, 100);
        t.add(P0, 101);
        t.processed(P0, 100);
        assertThat(t.committable()).isEmpty(); // what was known before is forgotten, and nothing counts yet
        long hour = java.util.concurrent.TimeUnit.HOURS.toNanos(1);
        assertThat(t.startsOverdue(hour)).isEmpty();
        t.anchorOverdue(hour, Map.of());
        assertThat(t.committable()).isEmpty();
        assertThat(t.startsOverdue(0)).containsOnly(P0);
        t.anchorOverdue(0, Map.of());
        assertThat(t.startsOverdue(0)).isEmpty();
        assertThat(t.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(101))); // 101 is not done
    }

    @Test
    void aStartGivenUpOnNeverCommitsBelowWhereTheGroupStands() {
        OffsetTracker t = new OffsetTracker();
        t.assigned(List.of(P0), Map.of()); // the look-up of the start failed
        for (long o = 100; o < 110; o++) { // polled before the assignment: the group committed up to 120 meanwhile
            t.add(P0, o);
            t.processed(P0, o);
        }
        t.anchorOverdue(0, Map.of(P0, 120L));
        assertThat(t.committable()).as("110 would step the group back from 120").isEmpty();
        for (long o = 120; o < 131; o++) { // the fetch's own records
            t.add(P0, o);
            t.processed(P0, o);
        }
        assertThat(t.committable()).as("past where the group stands").containsOnly(
                Map.entry(P0, new OffsetAndMetadata(131)));
    }

    @Test
    void aFetchThatDidNotBeginAtTheStartIsCommittedAfterTheWait() {
        OffsetTracker t = new OffsetTracker();
        t.assigned(List.of(P0), Map.of(P0, 100L)); // retention took 100..119 between the look-up and the fetch
        for (long o = 120; o < 125; o++) {
            t.add(P0, o);
            t.processed(P0, o);
        }
        assertThat(t.committable()).isEmpty();
        t.anchorOverdue(0, Map.of());
        assertThat(t.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(125)));
        t.add(P0, 125);
        t.processed(P0, 125);
        assertThat(t.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(126)));
    }

    @Test
    void addingTwiceOrMarkingUnknownRecordsChangesNothing() {
        OffsetTracker t = new OffsetTracker();
        t.add(P0, 5);
        t.add(P0, 5);
        assertThat(t.pending()).isEqualTo(1);
        t.processed(P0, 4);
        t.processed(P1, 5);
        assertThat(t.committable()).isEmpty();
        t.processed(P0, 5);
        t.processed(P0, 5);
        assertThat(t.pending()).isZero();
        t.add(P0, 5); // already committed past: not pending again
        assertThat(t.pending()).isZero();
        assertThat(t.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(6)));
    }

    @Test
    void aRecordOfSeveralLinesIsProcessedWithItsLastLine() {
        OffsetTracker t = new OffsetTracker();
        t.add(P0, 7, 3);
        t.add(P0, 7, 1); // added again: still three
        t.add(P0, 8);
        t.processed(P0, 8);
        t.processed(P0, 7);
        t.processed(P0, 7);
        assertThat(t.isPending(P0, 7)).isTrue();
        assertThat(t.committable()).isEmpty();
        t.processed(P0, 7);
        assertThat(t.isPending(P0, 7)).isFalse();
        assertThat(t.pending()).isZero();
        assertThat(t.committable()).containsOnly(Map.entry(P0, new OffsetAndMetadata(9)));
        t.processed(P0, 7); // one more than it had: ignored
        assertThat(t.pending()).isZero();
    }

    /**
     * Random polls, completions in any order, commits and rebalances against a plain model: per
     * partition, the offsets added and those processed; the committable offset is the first added
     * offset not processed, or the last added + 1.
     */
    @Test
    void randomOutOfOrderCompletionMatchesTheModel() {
        runs(2000, 60);
    }

    /** Long runs: thousands of records open at once, past the tracker's first array sizes. */
    @Test
    void longRandomRunsMatchTheModel() {
        runs(5, 1500);
    }

    private static void runs(int runs, int stepsPerRun) {
        long seed = Long.getLong("caravan.test.seed", System.nanoTime());
        Random rnd = new Random(seed);
        for (int run = 0; run < runs; run++) {
            List<String> steps = new ArrayList<>();
            try {
                runOnce(rnd, steps, stepsPerRun);
            } catch (AssertionError e) {
                throw new AssertionError("seed " + seed + " (-Dcaravan.test.seed), run " + run + ", steps " + steps, e);
            }
        }
    }

    private static void runOnce(Random rnd, List<String> steps, int stepCount) {
        List<TopicPartition> tps = List.of(P0, P1, new TopicPartition("other", 0));
        OffsetTracker t = new OffsetTracker();
        Map<TopicPartition, TreeMap<Long, Integer>> model = new HashMap<>(); // envelopes left to settle per record
        Map<TopicPartition, Long> nextOffset = new HashMap<>();
        Map<TopicPartition, Long> committed = new HashMap<>();
        List<Map.Entry<TopicPartition, Long>> open = new ArrayList<>();
        for (int step = 0; step < stepCount; step++) {
            int what = rnd.nextInt(10);
            if (what == 9 && rnd.nextInt(Math.max(1, stepCount / 60)) != 0) {
                what = 8; // long runs: rebalances as rare as in life, so thousands of records stay open
            }
            if (what < 4) { // a poll: a few records of some partitions, offsets rising with gaps, some of several lines
                for (int i = rnd.nextInt(5); i >= 0; i--) {
                    TopicPartition tp = tps.get(rnd.nextInt(tps.size()));
                    long o = nextOffset.merge(tp, 1L + (rnd.nextInt(4) == 0 ? rnd.nextInt(3) : 0), Long::sum);
                    int parts = rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(4) : 1;
                    t.add(tp, o, parts);
                    model.computeIfAbsent(tp, k -> new TreeMap<>()).put(o, parts);
                    for (int k = 0; k < parts; k++) {
                        open.add(Map.entry(tp, o));
                    }
                    steps.add("add " + tp + "@" + o + "x" + parts);
                }
            } else if (what < 8 && !open.isEmpty()) { // one envelope settles, any of those open
                var r = open.remove(rnd.nextInt(open.size()));
                t.processed(r.getKey(), r.getValue());
                TreeMap<Long, Integer> m = model.get(r.getKey());
                if (m != null && m.containsKey(r.getValue())) {
                    m.merge(r.getValue(), -1, Integer::sum);
                }
                steps.add("done " + r.getKey() + "@" + r.getValue());
            } else if (what == 8) { // a commit
                Map<TopicPartition, OffsetAndMetadata> c = t.committable();
                assertThat(c).isEqualTo(expected(model, committed));
                t.committed(c);
                c.forEach((tp, o) -> committed.put(tp, o.offset()));
                steps.add("commit " + c);
            } else { // a rebalance takes a partition away; its open records complete later, unknown
                TopicPartition tp = tps.get(rnd.nextInt(tps.size()));
                Map<TopicPartition, OffsetAndMetadata> last = t.revoke(List.of(tp));
                Map<TopicPartition, OffsetAndMetadata> want = expected(model, committed);
                want.keySet().retainAll(List.of(tp));
                assertThat(last).isEqualTo(want);
                model.remove(tp);
                committed.remove(tp);
                steps.add("revoke " + tp);
            }
            assertThat(t.committable()).isEqualTo(expected(model, committed));
            assertThat(t.pending()).isEqualTo(model.values().stream()
                    .mapToLong(m -> m.values().stream().filter(left -> left > 0).count()).sum());
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> expected(Map<TopicPartition, TreeMap<Long, Integer>> model,
                                                                   Map<TopicPartition, Long> committed) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        model.forEach((tp, m) -> {
            if (m.isEmpty()) {
                return;
            }
            TreeSet<Long> waiting = new TreeSet<>();
            m.forEach((o, left) -> {
                if (left > 0) {
                    waiting.add(o);
                }
            });
            long c;
            if (waiting.isEmpty()) {
                c = m.lastKey() + 1;
            } else {
                Long before = m.lowerKey(waiting.first());
                c = before == null ? -1 : before + 1;
            }
            if (c > committed.getOrDefault(tp, -1L)) {
                out.put(tp, new OffsetAndMetadata(c));
            }
        });
        return out;
    }
}
