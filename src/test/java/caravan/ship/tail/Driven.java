package caravan.ship.tail;

import caravan.common.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Tailer} driven step by step on the test's thread with a clock the test moves: no
 * sleeps, no reader thread, the same run every time. Events wait in {@link #held} until the test
 * acknowledges or fails them.
 */
final class Driven implements TailSink, AutoCloseable {
    /** A clock that moves only when told. */
    static final class ManualClock extends MillisClock {
        private long millis = 1_700_000_000_000L;

        void advance(long ms) {
            millis += ms;
        }

        @Override
        public long millis() {
            return millis;
        }
    }

    final ManualClock clock = new ManualClock();
    final ArrayDeque<TailEvent> held = new ArrayDeque<>();
    /** Texts acknowledged, in order. */
    final List<String> delivered = new ArrayList<>();
    final RecordingMetrics metrics = new RecordingMetrics();
    /** The clock's time at the last {@link #step} (before it moved on): the model's bookkeeping. */
    long lastStepAt;
    private final TailOptions options;
    private Tailer tailer;

    Driven(TailOptions options) throws Exception {
        this.options = options;
        start();
    }

    /**
     * A new directory on tmpfs where there is one, else {@code fallback}: the hunts ran there, where
     * the checkpoint's fsyncs are free and a directory lists its newest files first.
     */
    static Path tmpfsDir(String prefix, Path fallback) throws IOException {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, prefix) : fallback;
    }

    static void deleteTree(Path dir) throws IOException {
        FileTrees.delete(dir);
    }

    static TailOptions options(Path glob, Path checkpoint, int maxOpenFiles, int maxInflight) {
        return options(glob, checkpoint, maxOpenFiles, maxInflight, RotationOptions.DEFAULT_COPY_WINDOW_MS);
    }

    static TailOptions options(Path glob, Path checkpoint, int maxOpenFiles, int maxInflight, long copyWindow) {
        // scans at every step (steps move the clock by 10 ms or more), so a test knows when a file was seen
        // no directory watch: here it would only bring scans sooner, and setting one up and closing it costs ~10 ms,
        // which the model's thousands of restarts would pay
        return options(glob, checkpoint, maxOpenFiles, maxInflight, copyWindow, 5, false);
    }

    static TailOptions options(Path glob, Path checkpoint, int maxOpenFiles, int maxInflight, long copyWindow, long scanInterval,
            boolean watchNewFiles) {
        return new TailOptions(Glob.of(glob.toString()), null, false, 10, 10, scanInterval, watchNewFiles, false, checkpoint, 1000, 1024, 1 << 16, 400,
                null, MultilineJoiner.Mode.CONTINUE, false, 500, 1 << 20, 300, maxInflight, 32 << 20, 1000, 400,
                copyWindow, maxOpenFiles, 86_400_000, 50, 200, 4096, "model");
    }

    private void start() throws Exception {
        tailer = new Tailer(options, this, clock, metrics);
        tailer.open();
    }

    /** One pass of the reader, then the clock moves on by {@code ms}. */
    boolean step(long ms) {
        boolean progress = tailer.step();
        clock.advance(ms);
        return progress;
    }

    /** Is this file being read now, its content as the tailer knows it? */
    boolean reading(Path file) throws java.io.IOException {
        return tailer.reading(file);
    }

    /** Completes the oldest held event. */
    void complete(boolean ok) {
        TailEvent e = held.poll();
        if (e != null) {
            if (ok) {
                delivered.add(e.text());
            }
            e.done(ok, ok ? null : new RuntimeException("injected"));
        }
    }

    void completeAll() {
        while (!held.isEmpty()) {
            complete(true);
        }
    }

    /** A clean stop (in-flight events acknowledged first, as stop() waits for them) and a new tailer on the same checkpoints. */
    void restart() throws Exception {
        completeAll();
        tailer.close();
        start();
    }

    /** Acknowledges everything and steps until nothing moves for longer than the copy window. */
    void drain() {
        int quiet = 0;
        for (int i = 0; i < 10_000 && quiet < 12; i++) {
            completeAll();
            boolean progress = step(7000);
            quiet = progress || !held.isEmpty() ? 0 : quiet + 1;
        }
        completeAll();
    }

    @Override
    public void send(TailEvent event) {
        held.add(event);
    }

    @Override
    public void close() {
        completeAll();
        tailer.close();
    }

    /** Counts what a test may ask about: skips by reason. */
    static final class RecordingMetrics implements TailMetrics {
        final java.util.Map<String, Integer> skipped = new java.util.TreeMap<>();

        @Override
        public void linesRead(int lines, int truncated) {
        }

        @Override
        public void bytesRead(long bytes) {
        }

        @Override
        public void deliveryFailed() {
        }

        @Override
        public void rotation(String kind) {
        }

        @Override
        public void skipped(String reason) {
            skipped.merge(reason, 1, Integer::sum);
        }

        @Override
        public void checkpointWritten(long nanos, boolean ok) {
        }

        @Override
        public void openFiles(java.util.function.IntSupplier open) {
        }

        @Override
        public Runnable lag(String path, java.util.function.LongSupplier lag) {
            return () -> { };
        }

        @Override
        public void close() {
        }
    }
}
