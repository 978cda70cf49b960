package caravan.ship.tail;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tailer's hand-over to the route: the {@link InflightWindow} that holds reading back, the
 * {@link TailSink}, each event's outcome into its stream's {@link AckTracker}, and the lines-read
 * meters. Reader thread only, but for {@link #completed}, which the route's threads call.
 */
final class Delivery {
    private static final Logger LOG = LoggerFactory.getLogger(Delivery.class);

    private final TailSink sink;
    private final TailMetrics metrics;
    private final InflightWindow window;
    /** What the log lines name: the source's glob. */
    private final Object source;
    /** The window filled: reading waits until it drains to its low-water mark. */
    private boolean throttled;
    /** Lines admitted and not yet handed to the meters. */
    private int linesPending;
    private int truncatedPending;

    Delivery(TailSink sink, TailMetrics metrics, InflightWindow window, Object source) {
        this.sink = sink;
        this.metrics = metrics;
        this.window = window;
        this.source = source;
    }

    int inflight() {
        return window.events();
    }

    boolean hasRoom() {
        return window.hasRoom();
    }

    boolean throttled() {
        return throttled;
    }

    /** At the start of a round: reading goes on once the window has drained far enough. */
    void unthrottleIfDrained() {
        if (throttled && window.belowLowWater()) {
            throttled = false;
        }
    }

    /** The reader rests ({@code true}) or wakes: the window counts a rest held back by it. */
    void resting(boolean resting) {
        window.waiting(resting && throttled);
    }

    /** A line was cut: false (and reading pauses) if the window is full. */
    boolean admit(Line line) {
        if (!hasRoom()) {
            throttled = true;
            return false;
        }
        linesPending++;
        if (line.truncated()) {
            truncatedPending++;
        }
        return true;
    }

    /** Hands the lines admitted since the last report to the meters. */
    void reportLines() {
        if (linesPending > 0) {
            metrics.linesRead(linesPending, truncatedPending);
            linesPending = 0;
            truncatedPending = 0;
        }
    }

    void emit(Stream s, Line event) {
        long seq = s.tracker.register(event.start(), event.end(), event.anchorLen(), event.anchorHash());
        TailEvent e = new TailEvent(this, s, seq, event.start(), event.text(), event.truncated(), event.len());
        window.add(event.len());
        try {
            sink.send(e);
        } catch (RuntimeException ex) {
            e.done(false, ex);
        }
    }

    /** Sends what the sink gathered (a batch): at the end of every file's turn. */
    void flush() {
        try {
            sink.flush();
        } catch (RuntimeException ex) {
            // the sink completes (fails) the events it could not send; the file re-reads from its checkpoint
            LOG.warn("Sending a batch of {} failed: {}", source, ex.toString(), ex);
        }
    }

    void completed(TailEvent e, boolean ok, Throwable error) {
        Stream s = e.stream;
        if (!ok) {
            metrics.deliveryFailed();
            if (!s.tracker.failed()) {
                LOG.warn("Delivery of {} at offset {} failed; pausing it to re-read from its checkpoint: {}",
                        s.path, e.offset(), error == null ? "route failed" : error.toString());
            }
        }
        s.tracker.complete(e.seq, ok);
        window.release(e.weight);
    }
}
