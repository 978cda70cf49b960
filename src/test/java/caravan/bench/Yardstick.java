package caravan.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The machine's own speed, measured in the same rounds as a benchmark: the CPU time of the JDK's
 * sort of one fixed million ints. Its code is the JDK's, compiled long before the rounds, so it moves
 * only when the machine does (a VM's host taking the core, caches shared with a neighbour). A figure
 * that moves with it is the machine's; a figure that moves alone is the code's.
 */
final class Yardstick {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private final int[] input = new SplittableRandom(14).ints(1_000_000).toArray();
    private final int[] work = new int[input.length];

    Yardstick() {
        for (int i = 0; i < 5; i++) { // compiled before the first timed round
            round();
        }
    }

    /** CPU nanoseconds of one sort. */
    long round() {
        System.arraycopy(input, 0, work, 0, input.length);
        long t0 = CPU.getCurrentThreadCpuTime();
        Arrays.sort(work);
        long t = CPU.getCurrentThreadCpuTime() - t0;
        if (work[0] > work[work.length - 1]) {
            throw new AssertionError("not sorted");
        }
        return t;
    }

    /** Pearson's correlation of two series of rounds: near 1 when both move with the machine. */
    static double correlation(long[] a, long[] b) {
        double ma = Arrays.stream(a).average().orElse(0);
        double mb = Arrays.stream(b).average().orElse(0);
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return saa == 0 || sbb == 0 ? 0 : sab / Math.sqrt(saa * sbb);
    }

    /** The median, range and per-round correlation of the yardstick against {@code figure}, one line. */
    static String report(long[] yard, long[] figure) {
        long[] s = yard.clone();
        Arrays.sort(s);
        double[] ratio = new double[yard.length];
        for (int i = 0; i < yard.length; i++) {
            ratio[i] = figure[i] / (double) yard[i];
        }
        Arrays.sort(ratio);
        return String.format("yardstick (JDK sort of 1M ints) %.1f ms CPU (min %.1f, max %.1f); chain / yardstick, "
                        + "median of the rounds %.3f (min %.3f, max %.3f); correlation, round by round: %.2f",
                s[s.length / 2] / 1e6, s[0] / 1e6, s[s.length - 1] / 1e6, ratio[ratio.length / 2], ratio[0],
                ratio[ratio.length - 1], correlation(yard, figure));
    }
}
