package caravan.ship.tail;

import caravan.common.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * The tailer's meters, in the global registry next to {@link Metrics}, tagged by {@code source}
 * (the route id):
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
 *   <li>{@code caravan.tail.delivery.failures}: events the route failed (re-read later).</li>
 * </ul>
 */
final class TailMetrics {
    static final int MAX_PATH_GAUGES = 100;
    static final String OTHER = "_other";

    private final String source;
    private final MeterRegistry registry = Metrics.registry();
    final Counter lines;
    final Counter bytes;
    final Counter truncated;
    final Counter failures;
    private final Map<String, Set<TailedFile>> byPath = new ConcurrentHashMap<>();
    private final Map<String, Gauge> pathGauges = new ConcurrentHashMap<>();
    private final List<Meter> owned = new ArrayList<>();

    TailMetrics(String source) {
        this.source = source;
        lines = Counter.builder("caravan.tail.lines.read").description("Lines read from followed files")
                .tag("source", source).register(registry);
        bytes = Counter.builder("caravan.tail.bytes.read").description("Bytes read from followed files")
                .tag("source", source).register(registry);
        truncated = Counter.builder("caravan.tail.lines.truncated").description("Lines cut at the size limit")
                .tag("source", source).register(registry);
        failures = Counter.builder("caravan.tail.delivery.failures").description("Events the route failed; re-read later")
                .tag("source", source).register(registry);
    }

    <T> void openFiles(T state, ToDoubleFunction<T> fn) {
        owned.add(Gauge.builder("caravan.tail.files.open", state, fn).description("Open file handles")
                .tag("source", source).strongReference(true).register(registry));
    }

    void rotation(String kind) {
        Counter.builder("caravan.tail.rotations").description("Rotations seen, by kind")
                .tag("source", source).tag("kind", kind).register(registry).increment();
    }

    void track(TailedFile f) {
        String key = f.stream.path;
        if (!byPath.containsKey(key) && pathGauges.size() >= MAX_PATH_GAUGES) {
            key = OTHER;
        }
        byPath.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(f);
        pathGauges.computeIfAbsent(key, k -> {
            Set<TailedFile> set = byPath.get(k);
            return Gauge.builder("caravan.tail.lag.bytes", set, s -> s.stream().mapToLong(TailedFile::lag).sum())
                    .description("File size minus checkpoint").tag("source", source).tag("path", k)
                    .strongReference(true).register(registry);
        });
    }

    void untrack(TailedFile f) {
        for (String key : new String[] {f.stream.path, OTHER}) {
            Set<TailedFile> set = byPath.get(key);
            if (set != null && set.remove(f) && set.isEmpty()) {
                byPath.remove(key);
                Gauge g = pathGauges.remove(key);
                if (g != null) {
                    registry.remove(g);
                }
            }
        }
    }

    void close() {
        pathGauges.values().forEach(registry::remove);
        pathGauges.clear();
        byPath.clear();
        owned.forEach(registry::remove);
        owned.clear();
    }
}
