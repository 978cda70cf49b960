package caravan.ship.tail;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The events a tailer has sent and not yet had answered: at most maxInflight events and
 * maxInflightBytes. A full window pauses reading, which resumes at three quarters, so that a
 * reader with a full window is not woken for every single acknowledgement.
 *
 * <p>The reader thread adds; any thread (the route's completion) releases.
 */
final class InflightWindow {
    private final int maxEvents;
    private final long maxBytes;
    private final Runnable wake;
    private final AtomicInteger events = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    /** The reader rests with a full window: the release that brings it to its low water wakes it. */
    private volatile boolean waiting;

    /** @param wake ends the reader's rest */
    InflightWindow(int maxEvents, long maxBytes, Runnable wake) {
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.wake = wake;
    }

    boolean hasRoom() {
        return events.get() < maxEvents && bytes.get() < maxBytes;
    }

    /** Down to three quarters on both counts: a paused reader may go on. */
    boolean belowLowWater() {
        return atLowWater(events.get(), bytes.get());
    }

    void add(int weight) {
        events.incrementAndGet();
        bytes.addAndGet(weight);
    }

    void release(int weight) {
        int n = events.decrementAndGet();
        long b = bytes.addAndGet(-weight);
        if (waiting && atLowWater(n, b)) {
            waiting = false;
            wake.run();
        }
    }

    int events() {
        return events.get();
    }

    /** Set by the reader before it rests (true when it rests for want of room) and cleared after. */
    void waiting(boolean w) {
        waiting = w;
    }

    private boolean atLowWater(int n, long b) {
        return n <= lowWater(maxEvents) && b <= lowWater(maxBytes);
    }

    private static long lowWater(long max) {
        return max - max / 4;
    }
}
