package caravan.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AlertTrackerTest {
    private static final Instant T = Instant.parse("2026-01-01T12:00:00Z");
    private final Rule rule = new Rule("brute-force", "per_ip", "d", "high", null, Duration.ofMinutes(10),
            List.of("log"), (c, h) -> List.of());
    private final AlertTracker tracker = new AlertTracker("live");

    private List<AlertEvent> at(int minute, String... ips) {
        return tracker.update(rule, "apache.access", T.plusSeconds(60L * minute),
                java.util.Arrays.stream(ips).map(ip -> new Finding(ip, 500, ip + " busy")).toList());
    }

    @Test
    void firesOnceStaysQuietDuringTheCooldownThenRemindsAndResolves() {
        List<AlertEvent> first = at(0, "1.2.3.4");
        assertThat(first).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(AlertEvent.Status.FIRING);
            assertThat(e.key()).isEqualTo("brute-force|apache.access|1.2.3.4");
        });
        for (int m = 1; m < 10; m++) {
            assertThat(at(m, "1.2.3.4")).as("minute %d", m).isEmpty();
        }
        assertThat(at(10, "1.2.3.4")).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(AlertEvent.Status.FIRING);
            assertThat(e.firstFired()).isEqualTo(T); // same episode, same document
        });
        assertThat(at(11)).singleElement().satisfies(e -> {
            assertThat(e.status()).isEqualTo(AlertEvent.Status.RESOLVED);
            assertThat(e.docId()).isEqualTo(first.get(0).docId());
        });
        assertThat(tracker.firing()).isEmpty();
        assertThat(at(12)).isEmpty();
    }

    @Test
    void subjectsAreIndependent() {
        assertThat(at(0, "1.2.3.4")).hasSize(1);
        List<AlertEvent> e = at(1, "5.6.7.8");
        assertThat(e).extracting(AlertEvent::status, AlertEvent::subject).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple(AlertEvent.Status.FIRING, "5.6.7.8"),
                org.assertj.core.groups.Tuple.tuple(AlertEvent.Status.RESOLVED, "1.2.3.4"));
        assertThat(tracker.activeDatasets()).containsExactly("apache.access");
    }

    @Test
    void aRemovedRuleResolvesItsAlerts() {
        at(0, "1.2.3.4");
        assertThat(tracker.dropRulesOtherThan(Set.of("other"), T.plusSeconds(60)))
                .extracting(AlertEvent::status).containsExactly(AlertEvent.Status.RESOLVED);
        assertThat(tracker.firing()).isEmpty();
    }

    @Test
    void restoredAlertsAreNotNotifiedAgain() {
        AlertTracker other = new AlertTracker("live");
        other.restore(at(0, "1.2.3.4"));
        assertThat(other.update(rule, "apache.access", T.plusSeconds(60), List.of(new Finding("1.2.3.4", 1, "m")))).isEmpty();
    }
}
