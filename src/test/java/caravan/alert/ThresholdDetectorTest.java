package caravan.alert;

import static caravan.alert.Windows.errors;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ThresholdDetectorTest {
    private final ThresholdDetector rate = new ThresholdDetector("error_rate", 0.2, 2, 50);

    @Test
    void firesOnlyWhenTheRateIsAboveForConsecutiveWindows() {
        History prevHigh = History.of(List.of(errors(0, 100, 30)), Set.of());
        List<Finding> f = rate.evaluate(errors(1, 100, 25), prevHigh);
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.subject()).isEqualTo("apache.access");
            assertThat(x.value()).isEqualTo(0.25);
        });
        // One window above is not enough.
        assertThat(rate.evaluate(errors(1, 100, 25), History.of(List.of(errors(0, 100, 10)), Set.of()))).isEmpty();
        assertThat(rate.evaluate(errors(1, 100, 25), History.of(List.of(), Set.of()))).isEmpty();
    }

    @Test
    void aGapBetweenWindowsBreaksTheRun() {
        // Minute 0 was bad, minute 1 had no events at all, minute 2 is bad: not two in a row.
        assertThat(rate.evaluate(errors(2, 100, 50), History.of(List.of(errors(0, 100, 50)), Set.of()))).isEmpty();
    }

    @Test
    void exactlyAtTheLimitOrBelowMinRequestsDoesNotFire() {
        History prev = History.of(List.of(errors(0, 100, 40)), Set.of());
        assertThat(rate.evaluate(errors(1, 100, 20), prev)).isEmpty(); // 0.2 is not above 0.2
        assertThat(rate.evaluate(errors(1, 40, 30), prev)).isEmpty(); // 40 requests < min 50
    }

    @Test
    void countsPerWindowWithOneWindow() {
        ThresholdDetector fiveXx = new ThresholdDetector("errors", 30, 1, 1);
        assertThat(fiveXx.evaluate(errors(0, 100, 31), History.of(List.of(), Set.of()))).hasSize(1);
        assertThat(fiveXx.evaluate(errors(0, 100, 30), History.of(List.of(), Set.of()))).isEmpty();
    }
}
