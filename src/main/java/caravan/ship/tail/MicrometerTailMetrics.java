package caravan.ship.tail;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The tailer's meters in a Micrometer registry, tagged by {@code source} (the route id):
 * <ul>
 *   <li>{@code caravan.tail.lines.read}, {@code caravan.tail.bytes.read}: counters;</li>
 *   <li>{@code caravan.tail.lines.truncated}: lines cut at maxLineBytes (or multiline limits);</li>
 *   <li>{@code caravan.tail.files.open}: gauge of open file handles;</li>
 *   <li>{@code caravan.tail.lag.bytes}: gauge per path, file size minus checkpoint. At most
 *       {@value #MAX_PATH_GAUGES} paths per source get their own series; the rest add up under
 *       {@code path="_other"}, so that a glob over thousands of files cannot flood Prometheus;</li>
 *   <li>{@code caravan.tail.rotations}: counter by {@code kind}: {@code rename} (found under a new
 *       name), {@code remove} (gone from its path), {@code truncate} (shrank or was rewritten in
 *       place), {@code copy} (a truncated file's stream continued in its copy: copytruncate);</li>
 *   <li>{@code caravan.tail.skipped}: counter by {@code reason} of content not shipped:
 *       {@code already-read} (a copytruncate copy holding only lines read before), {@code
 *       start-position-end}, {@code deleted-unread};</li>
 *   <li>{@code caravan.tail.delivery.failures}: events the route failed (re-read later);</li>
 *   <li>{@code caravan.tail.checkpoint.writes}: timer of checkpoint writes by {@code outcome}
 *       ({@code ok}, {@code failed}); they run beside the reader, so a slow disk shows here rather
 *       than as lag.</li>
 * </ul>
 */
final class MicrometerTailMetrics implements TailMetrics {
    static final int MAX_PATH_GAUGES = 100;
    static final String OTHER = "_other";

    private final String source;
    private final MeterRegistry registry;
    private final Counter lines;
    private final Counter bytes;
    private final Counter truncated;
    private final Counter failures;
    private final Timer checkpointsWritten;
    private final Timer checkpointsFailed;
    private final Map<String, Set<LongSupplier>> byPath = new ConcurrentHashMap<>();
    private final Map<String, Gauge> pathGauges = new ConcurrentHashMap<>();
    private final List<Meter> owned = new ArrayList<>();

    MicrometerTailMetrics(MeterRegistry registry, String source) {
        this.registry = registry;
        this.source = source;
        lines = Counter.builder("caravan.tail.lines.read").description("Lines read from followed files")
                .tag("source", source).register(registry);
        bytes = Counter.builder("caravan.tail.bytes.read").description("Bytes read from followed files")
                .tag("source", source).register(registry);
        truncated = Counter.builder("caravan.tail.lines.truncated").description("Lines cut at the size limit")
                .tag("source", source).register(registry);
        failures = Counter.builder("caravan.tail.delivery.failures").description("Events the route failed; re-read later")
                .tag("source", source).register(registry);
        checkpointsWritten = checkpointTimer("ok");
        checkpointsFailed = checkpointTimer("failed");
    }

    private Timer checkpointTimer(String outcome) {
        return Timer.builder("caravan.tail.checkpoint.writes").description("Checkpoint file writes (with their fsyncs)")
                .tag("source", source).tag("outcome", outcome).register(registry);
    }

    @Override
    public void checkpointWritten(long nanos, boolean ok) {
        (ok ? checkpointsWritten : checkpointsFailed).record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void linesRead(int n, int cut) {
        lines.increment(n);
        if (cut > 0) {
            truncated.increment(cut);
        }
    }

    @Override
    public void bytesRead(long n) {
        bytes.increment(n);
    }

    @Override
    public void deliveryFailed() {
        failures.increment();
    }

    @Override
    public void openFiles(IntSupplier open) {
        owned.add(Gauge.builder("caravan.tail.files.open", open, IntSupplier::getAsInt).description("Open file handles")
                .tag("source", source).strongReference(true).register(registry));
    }

    @Override
    public void rotation(String kind) {
        Counter.builder("caravan.tail.rotations").description("Rotations seen, by kind")
                .tag("source", source).tag("kind", kind).register(registry).increment();
    }

    @Override
    public void skipped(String reason) {
        Counter.builder("caravan.tail.skipped").description("Content not shipped, by reason (each logged once per file)")
                .tag("source", source).tag("reason", reason).register(registry).increment();
    }

    @Override
    public Runnable lag(String path, LongSupplier lag) {
        String key = !byPath.containsKey(path) && pathGauges.size() >= MAX_PATH_GAUGES ? OTHER : path;
        byPath.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(lag);
        pathGauges.computeIfAbsent(key, k -> {
            Set<LongSupplier> set = byPath.get(k);
            return Gauge.builder("caravan.tail.lag.bytes", set, s -> s.stream().mapToLong(LongSupplier::getAsLong).sum())
                    .description("File size minus checkpoint").tag("source", source).tag("path", k)
                    .strongReference(true).register(registry);
        });
        return () -> {
            Set<LongSupplier> set = byPath.get(key);
            if (set != null && set.remove(lag) && set.isEmpty()) {
                byPath.remove(key);
                Gauge g = pathGauges.remove(key);
                if (g != null) {
                    registry.remove(g);
                }
            }
        };
    }

    @Override
    public void close() {
        pathGauges.values().forEach(registry::remove);
        pathGauges.clear();
        byPath.clear();
        owned.forEach(registry::remove);
        owned.clear();
    }
}
