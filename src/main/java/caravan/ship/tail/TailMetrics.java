package caravan.ship.tail;

import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What the tailer reports, for the application to count: by default into Micrometer's global
 * registry ({@link MicrometerTailMetrics}, which lists the meters); another implementation comes
 * through the component's {@code metricsFactory} option. One instance per source (route).
 */
public interface TailMetrics {

    /** Makes the meters of one source (the route id). */
    @FunctionalInterface
    interface Factory {
        TailMetrics create(String source);
    }

    /**
     * Lines (or events) were read, {@code truncated} of them cut at the size limit: reported once
     * per read of a file, not per line, since a meter's increment cost the reader 4% of its time.
     */
    void linesRead(int lines, int truncated);

    void bytesRead(long bytes);

    /** The route failed an event; it is read again later. */
    void deliveryFailed();

    /** A rotation was seen: rename, remove, truncate or copy. */
    void rotation(String kind);

    /** Content the tailer decided not to ship, by reason (it is logged once per path and reason). */
    void skipped(String reason);

    /** A checkpoint write took {@code nanos} (two fsyncs: a slow disk shows here first), and succeeded or not. */
    void checkpointWritten(long nanos, boolean ok);

    /** The number of open file handles, read when the meter is. */
    void openFiles(IntSupplier open);

    /** A followed file's lag (size minus checkpoint) under its path; the returned action stops reporting it. */
    Runnable lag(String path, LongSupplier lag);

    /** The source stops: its meters go. */
    void close();

    /** The default: Micrometer's global registry. */
    static TailMetrics micrometer(String source) {
        return micrometer(io.micrometer.core.instrument.Metrics.globalRegistry).create(source);
    }

    /** The tail meters of each source in {@code registry}: what an application's wiring binds as the metricsFactory. */
    static Factory micrometer(io.micrometer.core.instrument.MeterRegistry registry) {
        return source -> new MicrometerTailMetrics(registry, source);
    }
}
