package caravan.alert;

import java.time.Duration;
import java.util.List;

/**
 * A dataset metric above a fixed value for {@code forWindows} consecutive windows (error rate over
 * 20% for 2 minutes, more than 30 5xx in a minute). Requiring consecutive windows trades a little
 * delay for not paging on a single bad minute; {@code minRequests} keeps a rate from firing on a
 * window with three requests.
 */
public final class ThresholdDetector implements Detector {
    private final String metric;
    private final double above;
    private final int forWindows;
    private final long minRequests;

    public ThresholdDetector(String metric, double above, int forWindows, long minRequests) {
        this.metric = metric;
        this.above = above;
        this.forWindows = forWindows;
        this.minRequests = minRequests;
    }

    @Override
    public List<Finding> evaluate(WindowStats current, History history) {
        if (!crosses(current)) {
            return List.of();
        }
        // The previous forWindows-1 windows must exist, be adjacent and cross too: an empty (absent)
        // window in between breaks the run.
        Duration window = Duration.between(current.start, current.end);
        List<WindowStats> past = history.windows();
        for (int k = 1; k < forWindows; k++) {
            int i = past.size() - k;
            if (i < 0) {
                return List.of();
            }
            WindowStats w = past.get(i);
            if (!w.start.equals(current.start.minus(window.multipliedBy(k))) || !crosses(w)) {
                return List.of();
            }
        }
        double v = current.metric(metric);
        return List.of(new Finding(current.dataset, v, String.format(java.util.Locale.ROOT,
                "%s %s is %s, above %s for %d window(s) (%d requests)", current.dataset, metric, fmt(v), fmt(above),
                forWindows, current.requests)));
    }

    private boolean crosses(WindowStats w) {
        return w.requests >= minRequests && w.metric(metric) > above;
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.3f", v);
    }
}
