package caravan.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PerIpDetectorTest {
    @Test
    void eachIpAboveTheLimitIsItsOwnFinding() {
        WindowStats w = Windows.at(0, 1000);
        w.topIps.put("198.51.100.7", 450L);
        w.topIps.put("198.51.100.8", 301L);
        w.topIps.put("198.51.100.9", 300L);
        List<Finding> f = new PerIpDetector("requests", 300).evaluate(w, History.of(List.of(), Set.of()));
        assertThat(f).extracting(Finding::subject).containsExactly("198.51.100.7", "198.51.100.8");
        assertThat(f.get(0).value()).isEqualTo(450);
    }

    @Test
    void threatHitsReadTheThreatList() {
        WindowStats w = Windows.at(0, 1000);
        w.topIps.put("198.51.100.7", 450L);
        w.threatIps.put("203.0.113.66", 30L);
        List<Finding> f = new PerIpDetector("threat_hits", 20).evaluate(w, History.of(List.of(), Set.of()));
        assertThat(f).extracting(Finding::subject).containsExactly("203.0.113.66");
    }
}
