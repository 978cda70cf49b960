package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AckTrackerTest {

    @Test
    void checkpointIsTheEndOfTheContiguousAcknowledgedPrefix() {
        AckTracker t = new AckTracker(100, 0, 0);
        long a = t.register(100, 110, 10, 1);
        long b = t.register(110, 125, 15, 2);
        long c = t.register(125, 130, 5, 3);
        assertThat(t.inflight()).isEqualTo(3);
        assertThat(t.complete(b, true)).isFalse();
        assertThat(t.committed()).isEqualTo(100);
        assertThat(t.complete(a, true)).isTrue();
        assertThat(t.committed()).isEqualTo(125);
        assertThat(t.committedAnchorHash()).isEqualTo(2);
        assertThat(t.committedAnchorLen()).isEqualTo(15);
        t.complete(c, true);
        assertThat(t.committed()).isEqualTo(130);
        assertThat(t.inflight()).isZero();
    }

    @Test
    void aFailureStopsThePrefixAndRewindReturnsWhatWasAcknowledgedBeyondIt() {
        AckTracker t = new AckTracker(0, 0, 0);
        long a = t.register(0, 10, 0, 0);
        long b = t.register(10, 20, 0, 0);
        long c = t.register(20, 30, 0, 0);
        long d = t.register(30, 40, 0, 0);
        t.complete(a, true);
        t.complete(b, false);
        t.complete(c, true);
        t.complete(d, false);
        assertThat(t.failed()).isTrue();
        assertThat(t.committed()).isEqualTo(10);
        assertThat(t.inflight()).isZero();
        Map<Long, Long> acked = t.rewind();
        assertThat(acked).containsExactlyEntriesOf(Map.of(20L, 30L));
        assertThat(t.failed()).isFalse();
        // Completions from before the rewind are ignored.
        assertThat(t.complete(c, true)).isFalse();
        long e = t.register(10, 20, 0, 0);
        t.complete(e, true);
        assertThat(t.committed()).isEqualTo(20);
    }

    @Test
    void repeatedCompletionsAreIgnored() {
        AckTracker t = new AckTracker(0, 0, 0);
        long a = t.register(0, 10, 0, 0);
        long b = t.register(10, 20, 0, 0);
        t.complete(b, true);
        t.complete(b, false);
        assertThat(t.failed()).isFalse();
        t.complete(a, true);
        assertThat(t.committed()).isEqualTo(20);
        assertThat(t.complete(a, true)).isFalse();
    }

    @Test
    void manyEventsCompletingInRandomOrderFromManyThreads() throws Exception {
        AckTracker t = new AckTracker(0, 0, 0);
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            seqs.add(t.register(i * 10L, i * 10L + 10, 0, i));
        }
        Collections.shuffle(seqs, new Random(7));
        Thread[] threads = new Thread[4];
        for (int k = 0; k < threads.length; k++) {
            int from = k * 5000;
            threads[k] = new Thread(() -> seqs.subList(from, from + 5000).forEach(s -> t.complete(s, true)));
            threads[k].start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(t.committed()).isEqualTo(200_000);
        assertThat(t.committedAnchorHash()).isEqualTo(19_999);
        assertThat(t.inflight()).isZero();
    }
}
