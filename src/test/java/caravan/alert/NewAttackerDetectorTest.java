package caravan.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NewAttackerDetectorTest {
    @Test
    void onlyIpsNotSeenInTheLookbackWithEnoughHitsFire() {
        WindowStats w = Windows.at(0, 100);
        w.threatIps.put("203.0.113.66", 30L);
        w.threatIps.put("203.0.113.1", 40L);
        w.threatIps.put("203.0.113.2", 4L);
        AtomicReference<Duration> asked = new AtomicReference<>();
        History h = new History() {
            @Override
            public List<WindowStats> windows() {
                return List.of();
            }

            @Override
            public Set<String> attackersSeen(Duration lookback) {
                asked.set(lookback);
                return Set.of("203.0.113.1");
            }
        };
        List<Finding> f = new NewAttackerDetector(5, Duration.ofHours(24)).evaluate(w, h);
        assertThat(f).extracting(Finding::subject).containsExactly("203.0.113.66");
        assertThat(asked.get()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void noCandidateMeansNoLookup() {
        History failing = new History() {
            @Override
            public List<WindowStats> windows() {
                throw new AssertionError();
            }

            @Override
            public Set<String> attackersSeen(Duration lookback) {
                throw new AssertionError("no IP had enough hits: the stats index need not be asked");
            }
        };
        assertThat(new NewAttackerDetector(5, Duration.ofHours(1)).evaluate(Windows.at(0, 100), failing)).isEmpty();
    }
}
