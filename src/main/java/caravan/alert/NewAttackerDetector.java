package caravan.alert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A client IP with threat hits that no window in the last {@code lookback} had flagged: a new
 * attacker is news, the scanner that has been knocking all week is not.
 */
public final class NewAttackerDetector implements Detector {
    private final long minHits;
    private final Duration lookback;

    public NewAttackerDetector(long minHits, Duration lookback) {
        this.minHits = minHits;
        this.lookback = lookback;
    }

    @Override
    public List<Finding> evaluate(WindowStats current, History history) {
        List<Finding> out = new ArrayList<>();
        Set<String> seen = null;
        for (var e : current.threatIps.entrySet()) {
            if (e.getValue() < minHits) {
                continue;
            }
            if (seen == null) {
                seen = history.attackersSeen(lookback); // asked only when there is a candidate
            }
            if (!seen.contains(e.getKey())) {
                out.add(new Finding(e.getKey(), e.getValue(), "new attacking IP " + e.getKey() + ": " + e.getValue()
                        + " requests flagged by the threat rules, none in the " + lookback.toHours() + " h before"));
            }
        }
        return out;
    }

    public Duration lookback() {
        return lookback;
    }
}
