package caravan.alert;

import java.util.List;
import java.util.Locale;

/**
 * Requests in a window far above the dataset's recent level: z-score against an EWMA baseline of
 * the earlier windows, plus a minimum ratio so that a quiet, steady dataset (tiny deviation) does
 * not fire on a handful of extra requests.
 *
 * <p>Windows without events are not part of the baseline: a source that writes in bursts (a batch
 * job every hour) would otherwise see a spike in every burst. The deviation is never taken below
 * the square root of the mean, the noise any count has (Poisson).
 */
public final class SpikeDetector implements Detector {
    private final double alpha;
    private final double minZ;
    private final double minRatio;
    private final int minBaseline;
    private final long minRequests;

    public SpikeDetector(double alpha, double minZ, double minRatio, int minBaseline, long minRequests) {
        this.alpha = alpha;
        this.minZ = minZ;
        this.minRatio = minRatio;
        this.minBaseline = minBaseline;
        this.minRequests = minRequests;
    }

    @Override
    public List<Finding> evaluate(WindowStats current, History history) {
        List<WindowStats> past = history.windows();
        if (past.size() < minBaseline || current.requests < minRequests) {
            return List.of();
        }
        Baselines.Ewma b = Baselines.ewma(past.stream().map(w -> (double) w.requests).toList(), alpha);
        double std = Math.max(b.std(), Math.sqrt(Math.max(b.mean(), 1)));
        double z = (current.requests - b.mean()) / std;
        double ratio = current.requests / Math.max(b.mean(), 1);
        if (z < minZ || ratio < minRatio) {
            return List.of();
        }
        return List.of(new Finding(current.dataset, current.requests, String.format(Locale.ROOT,
                "%s had %d requests in one window, %.1fx its baseline of %.1f (z=%.1f over %d windows)",
                current.dataset, current.requests, ratio, b.mean(), z, past.size())));
    }
}
