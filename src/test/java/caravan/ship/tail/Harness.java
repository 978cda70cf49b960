package caravan.ship.tail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/** A {@link Tailer} with a recording sink and short timings, for engine tests without Camel or Kafka. */
final class Harness implements TailSink, AutoCloseable {
    record Got(String fileId, long offset, String text, boolean truncated, String path) {
    }

    final ConcurrentLinkedQueue<Got> acked = new ConcurrentLinkedQueue<>();
    /** The identities of the files lines arrived from, for tests that wait until a file was seen. */
    final java.util.Set<String> fileIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<TailEvent> held = new ConcurrentLinkedQueue<>();
    final AtomicBoolean hold = new AtomicBoolean();
    volatile Predicate<TailEvent> fail = e -> false;
    private final ExecutorService acker = Executors.newSingleThreadExecutor();
    private final ExecutorService readers = Executors.newCachedThreadPool();
    private Tailer tailer;

    static Builder options(Path glob, Path checkpoints) {
        return new Builder(glob.toString(), checkpoints.resolve("test.json"));
    }

    static final class Builder {
        String glob;
        String exclude;
        Path checkpoint;
        boolean startAtEnd;
        int maxLineBytes = 1 << 20;
        long partialLineTimeout = 400;
        String multiline;
        MultilineJoiner.Mode mode = MultilineJoiner.Mode.CONTINUE;
        int maxInflight = 10_000;
        long maxInflightBytes = 32 << 20;
        int maxOpenFiles = 1024;
        long closeInactive = 1000;
        long drainTimeout = 400;
        int readChunk = 256 * 1024;
        long forgetAfter = 86_400_000;
        long checkpointInterval = 100;
        long idlePollDelay = 10;

        Builder(String glob, Path checkpoint) {
            this.glob = glob;
            this.checkpoint = checkpoint;
        }

        TailOptions build() {
            return new TailOptions(Glob.of(glob), exclude == null ? null : Glob.exclusion(exclude), startAtEnd, 10, idlePollDelay, 50, true, true,
                    checkpoint, checkpointInterval, 1024, maxLineBytes, partialLineTimeout, multiline, mode, false, 500, 1 << 20, 300,
                    maxInflight, maxInflightBytes, closeInactive, drainTimeout, RotationOptions.DEFAULT_COPY_WINDOW_MS, maxOpenFiles,
                    forgetAfter, 50, 200,
                    readChunk, "test");
        }
    }

    Harness start(TailOptions o) throws Exception {
        return start(new Tailer(o, this));
    }

    /** With the reader's clock: a test may count the reader's passes by its calls. */
    Harness start(TailOptions o, java.time.Clock clock) throws Exception {
        return start(new Tailer(o, this, clock, TailMetrics.micrometer(o.source())));
    }

    private Harness start(Tailer t) throws Exception {
        tailer = t;
        tailer.start(readers);
        return this;
    }

    void stop() {
        if (tailer != null) {
            tailer.stop(5000);
            tailer = null;
        }
    }

    int inflight() {
        return tailer.inflight();
    }

    @Override
    public void send(TailEvent e) {
        if (hold.get()) {
            held.add(e);
            return;
        }
        acker.execute(() -> complete(e));
    }

    void release() {
        hold.set(false);
        TailEvent e;
        while ((e = held.poll()) != null) {
            TailEvent ev = e;
            acker.execute(() -> complete(ev));
        }
    }

    private void complete(TailEvent e) {
        if (fail.test(e)) {
            e.done(false, new RuntimeException("injected"));
        } else {
            acked.add(new Got(e.fileId(), e.offset(), e.text(), e.truncated(), e.path()));
            fileIds.add(e.fileId());
            e.done(true, null);
        }
    }

    List<String> texts() {
        List<String> out = new ArrayList<>();
        acked.forEach(g -> out.add(g.text()));
        return out;
    }

    /** Text to count, for the lines that arrived more than once. */
    Map<String, Integer> repeats() {
        Map<String, Integer> counts = new TreeMap<>();
        acked.forEach(g -> counts.merge(g.text(), 1, Integer::sum));
        counts.values().removeIf(c -> c == 1);
        return counts;
    }

    static List<String> sorted(List<String> l) {
        List<String> c = new ArrayList<>(l);
        Collections.sort(c);
        return c;
    }

    @Override
    public void close() {
        stop();
        acker.shutdownNow();
        readers.shutdownNow();
    }
}
