package caravan.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpikeDetectorTest {
    private final SpikeDetector spike = new SpikeDetector(0.3, 6, 8, 10, 100);
    private final History steady = History.of(Windows.series(95, 105, 98, 110, 92, 101, 99, 104, 97, 100, 103, 96), Set.of());

    @Test
    void tenTimesTheBaselineFires() {
        List<Finding> f = spike.evaluate(Windows.at(12, 1100), steady);
        assertThat(f).singleElement().satisfies(x -> assertThat(x.message()).contains("1100 requests").contains("baseline"));
    }

    @Test
    void ordinaryVariationAndAModerateRiseDoNot() {
        assertThat(spike.evaluate(Windows.at(12, 136), steady)).isEmpty();
        // 4.5x: a high z-score, but below the ratio the rule asks for.
        assertThat(spike.evaluate(Windows.at(12, 450), steady)).isEmpty();
    }

    @Test
    void aShortBaselineNeverFires() {
        History shortOne = History.of(Windows.series(100, 100, 100), Set.of());
        assertThat(spike.evaluate(Windows.at(3, 5000), shortOne)).isEmpty();
    }

    @Test
    void aQuietDatasetNeedsTheMinimumRequests() {
        // From 2 a minute to 40: 20x, but 40 requests is no incident.
        History quiet = History.of(Windows.series(2, 1, 3, 2, 2, 1, 2, 3, 2, 2), Set.of());
        assertThat(spike.evaluate(Windows.at(10, 40), quiet)).isEmpty();
        assertThat(new SpikeDetector(0.3, 6, 8, 10, 1).evaluate(Windows.at(10, 40), quiet)).hasSize(1);
    }

    @Test
    void ewmaFollowsTheRecentLevel() {
        Baselines.Ewma e = Baselines.ewma(List.of(10.0, 10.0, 10.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0), 0.3);
        assertThat(e.mean()).isBetween(90.0, 100.0);
        Baselines.Ewma flat = Baselines.ewma(List.of(50.0, 50.0, 50.0), 0.3);
        assertThat(flat.mean()).isEqualTo(50.0);
        assertThat(flat.std()).isZero();
    }
}
