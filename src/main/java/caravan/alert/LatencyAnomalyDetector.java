package caravan.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An endpoint's mean response time far above its own usual one: a robust z-score (median and MAD
 * of the endpoint's mean latency in earlier windows). Only windows where the endpoint had at least
 * {@code minSamples} timed requests count, on both sides: a mean of two requests says little.
 * {@code minMs} keeps a fast endpoint going from 2 to 9 ms from paging anyone.
 */
public final class LatencyAnomalyDetector implements Detector {
    /** 1.4826 x MAD estimates the standard deviation of normally distributed values. */
    private static final double MAD_TO_STD = 1.4826;
    private final double minZ;
    private final long minSamples;
    private final int minBaseline;
    private final double minMs;

    public LatencyAnomalyDetector(double minZ, long minSamples, int minBaseline, double minMs) {
        this.minZ = minZ;
        this.minSamples = minSamples;
        this.minBaseline = minBaseline;
        this.minMs = minMs;
    }

    @Override
    public List<Finding> evaluate(WindowStats current, History history) {
        List<Finding> out = new ArrayList<>();
        for (Map.Entry<String, WindowStats.Latency> e : current.latency.entrySet()) {
            WindowStats.Latency now = e.getValue();
            if (now.count() < minSamples || now.meanMs() < minMs) {
                continue;
            }
            double[] base = history.windows().stream().map(w -> w.latency.get(e.getKey()))
                    .filter(l -> l != null && l.count() >= minSamples).mapToDouble(WindowStats.Latency::meanMs).toArray();
            if (base.length < minBaseline) {
                continue;
            }
            Baselines.Robust b = Baselines.robust(base);
            // A perfectly steady endpoint has MAD 0: 5% of its median (and 1 ms) is the least spread assumed.
            double std = Math.max(MAD_TO_STD * b.mad(), Math.max(0.05 * b.median(), 1.0));
            double z = (now.meanMs() - b.median()) / std;
            if (z >= minZ) {
                out.add(new Finding(e.getKey(), now.meanMs(), String.format(Locale.ROOT,
                        "%s mean response time %.0f ms (p95 %.0f ms, %d requests) against a usual %.0f ms (z=%.1f over %d windows)",
                        e.getKey(), now.meanMs(), now.p95Ms(), now.count(), b.median(), z, base.length)));
            }
        }
        return out;
    }
}
