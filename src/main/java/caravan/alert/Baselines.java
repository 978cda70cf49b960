package caravan.alert;

import java.util.Arrays;
import java.util.List;

/** The two baselines the anomaly detectors use. */
final class Baselines {
    private Baselines() {
    }

    /** Mean and standard deviation of an exponentially weighted series. */
    record Ewma(double mean, double std) {
    }

    /**
     * EWMA of the values, oldest first, with {@code alpha} the weight of each new value. Follows a
     * trend (traffic grows over a day) while a single old outlier fades away.
     */
    static Ewma ewma(List<Double> values, double alpha) {
        double mean = values.get(0);
        double var = 0;
        for (int i = 1; i < values.size(); i++) {
            double diff = values.get(i) - mean;
            double incr = alpha * diff;
            mean += incr;
            var = (1 - alpha) * (var + diff * incr);
        }
        return new Ewma(mean, Math.sqrt(var));
    }

    /** Median and median absolute deviation: robust, a past anomaly in the baseline does not hide the next one. */
    record Robust(double median, double mad) {
    }

    static Robust robust(double[] values) {
        double median = median(values);
        double[] dev = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            dev[i] = Math.abs(values[i] - median);
        }
        return new Robust(median, median(dev));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
}
