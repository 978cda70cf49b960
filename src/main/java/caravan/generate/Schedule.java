package caravan.generate;

/**
 * When each line happens: {@code rate} lines per second, and every {@code burstInterval} seconds a
 * burst of {@code burstSeconds} at {@code rate * burstFactor}. Lines are evenly spaced within their
 * rate, so a schedule is exact and the emitted timestamps can be checked against it.
 *
 * @param rate          lines per second outside bursts, above 0
 * @param burstInterval seconds from one burst start to the next; 0 for no bursts
 * @param burstSeconds  how long a burst lasts, in seconds
 * @param burstFactor   the rate multiplier during a burst, at least 1
 */
public record Schedule(double rate, double burstInterval, double burstSeconds, double burstFactor) {

    public Schedule {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("--rate must be above 0 (lines per second), not " + rate);
        }
        if (burstInterval < 0 || burstSeconds < 0 || (burstInterval > 0 && burstSeconds >= burstInterval)) {
            throw new IllegalArgumentException("--burst-length (" + burstSeconds + " s) must be shorter than"
                    + " --burst-interval (" + burstInterval + " s), both not negative");
        }
        if (burstFactor < 1) {
            throw new IllegalArgumentException("--burst-factor must be at least 1, not " + burstFactor);
        }
    }

    /** True when {@code seconds} after the start falls in a burst (bursts start the interval). */
    public boolean inBurst(double seconds) {
        return burstInterval > 0 && burstFactor > 1 && seconds % burstInterval < burstSeconds;
    }

    /** The rate in force at {@code seconds} after the start. */
    public double rateAt(double seconds) {
        return inBurst(seconds) ? rate * burstFactor : rate;
    }

    /** The time of the line after one at {@code seconds}. */
    public double next(double seconds) {
        return seconds + 1.0 / rateAt(seconds);
    }
}
