package caravan.alert;

import static caravan.alert.Windows.latency;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LatencyAnomalyDetectorTest {
    private final LatencyAnomalyDetector d = new LatencyAnomalyDetector(6, 10, 5, 200);

    private static History usual(double... means) {
        List<WindowStats> w = new ArrayList<>();
        for (int i = 0; i < means.length; i++) {
            w.add(latency(i, "/api/orders", 20, means[i]));
        }
        return History.of(w, Set.of());
    }

    @Test
    void anEndpointFarSlowerThanUsualFires() {
        List<Finding> f = d.evaluate(latency(6, "/api/orders", 20, 2000), usual(48, 52, 50, 47, 55, 51));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.subject()).isEqualTo("/api/orders");
            assertThat(x.value()).isEqualTo(2000);
        });
    }

    @Test
    void aPastAnomalyInTheBaselineDoesNotHideTheNextOne() {
        // Median and MAD: one 2 s window among 50 ms ones barely moves them.
        assertThat(d.evaluate(latency(7, "/api/orders", 20, 1500), usual(48, 52, 2000, 47, 55, 51, 50))).hasSize(1);
    }

    @Test
    void fewSamplesShortBaselinesAndFastEndpointsDoNotFire() {
        assertThat(d.evaluate(latency(6, "/api/orders", 5, 2000), usual(48, 52, 50, 47, 55, 51))).isEmpty();
        assertThat(d.evaluate(latency(6, "/api/orders", 20, 2000), usual(48, 52, 50))).isEmpty();
        // 10x slower, but 150 ms is under min_ms.
        assertThat(d.evaluate(latency(6, "/api/orders", 20, 150), usual(15, 15, 16, 14, 15, 15))).isEmpty();
        // Ordinary noise.
        assertThat(d.evaluate(latency(6, "/api/orders", 20, 260), usual(240, 250, 230, 255, 245, 250))).isEmpty();
    }

    @Test
    void otherEndpointsAreNotABaseline() {
        List<WindowStats> other = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            other.add(latency(i, "/static", 20, 50));
        }
        assertThat(d.evaluate(latency(6, "/api/orders", 20, 2000), History.of(other, Set.of()))).isEmpty();
    }
}
