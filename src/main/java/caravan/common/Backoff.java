package caravan.common;

import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Capped exponential backoff with "equal jitter": attempt n waits between half and all of
 * {@code min(max, initial * 2^n)}. The jitter keeps many indexers from retrying in lockstep after
 * the same outage; the floor of half keeps a retry from firing at once.
 */
public final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final DoubleSupplier random;

    public Backoff(long initialMs, long maxMs) {
        this(initialMs, maxMs, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random values in [0, 1); tests pass a fixed one */
    Backoff(long initialMs, long maxMs, DoubleSupplier random) {
        if (initialMs <= 0 || maxMs < initialMs) {
            throw new IllegalArgumentException("backoff needs 0 < initial (" + initialMs + ") <= max (" + maxMs + ")");
        }
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.random = random;
    }

    /** The ceiling for attempt {@code n} (0-based), before jitter. */
    public long ceilingMs(int attempt) {
        // Cap the shift before it overflows; the cap on the result does the rest.
        int shift = Math.min(Math.max(attempt, 0), Long.numberOfLeadingZeros(initialMs) - 1);
        return Math.min(maxMs, initialMs << shift);
    }

    /** How long to wait before attempt {@code n + 1}. */
    public long delayMs(int attempt) {
        long ceiling = ceilingMs(attempt);
        long half = ceiling / 2;
        return half + (long) (random.getAsDouble() * (ceiling - half + 1));
    }

    public long maxMs() {
        return maxMs;
    }
}
