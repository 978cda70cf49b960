package caravan.alert;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** What the detectors may know about the past of the dataset being evaluated. */
public interface History {
    /** Earlier windows of the same dataset that had events, oldest first (at most the configured number). */
    List<WindowStats> windows();

    /** Client IPs the threat rules flagged in any dataset during {@code lookback} before the current window. */
    Set<String> attackersSeen(Duration lookback);

    /** A history with the given windows and attackers (tests, and a first evaluation). */
    static History of(List<WindowStats> windows, Set<String> attackers) {
        return new History() {
            @Override
            public List<WindowStats> windows() {
                return windows;
            }

            @Override
            public Set<String> attackersSeen(Duration lookback) {
                return attackers;
            }
        };
    }
}
