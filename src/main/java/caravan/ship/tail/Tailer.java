package caravan.ship.tail;

import caravan.common.Backoff;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The follower behind {@code tail:}: one reader thread that takes turns over every matched file,
 * hands lines to a {@link TailSink} asynchronously, and checkpoints what the sink acknowledged.
 *
 * <p>The parts: {@link Discovery} finds files and notices rotations, {@link Identity} tells
 * which stream a file carries (and documents the identity scheme), {@link StreamTable} binds
 * streams to {@link TailedFile}s, which read themselves; {@link HandlePool} keeps the open
 * handles, {@link Checkpointer} the checkpoint file and {@link InflightWindow} bounds what is in
 * flight; {@link CreationWatch} and {@link WriteWatch} end the reader's rest early;
 * {@link Delivery} hands lines to the sink and takes their outcomes. This class keeps the loop.
 *
 * <h2>Delivery</h2>
 * Events go out without waiting, within a window of maxInflight events and maxInflightBytes. A
 * stream's checkpoint is the end of its longest contiguous prefix of acknowledged events
 * ({@link AckTracker}), written to disk every checkpointInterval and on stop; a new stream is
 * written at once, before its first line is read (see {@link Identity#newStream}). A failed event makes
 * the file stop, wait for its other events, and read again from the checkpoint after a backoff,
 * skipping events that were acknowledged after the gap.
 */
final class Tailer {
    private static final Logger LOG = LoggerFactory.getLogger(Tailer.class);
    private static final long IO_ERROR_LOG_INTERVAL_MS = 60_000;

    private final TailOptions o;
    private final Clock clock;
    private final TailMetrics metrics;
    private final Checkpointer checkpoints;
    private final HandlePool pool;
    private final StreamTable table;
    private final Discovery discovery;
    private final CreationWatch creations;
    private final WriteWatch writes;
    private final Delivery delivery;
    private final CountDownLatch exited = new CountDownLatch(1);
    private final byte[] buf;
    /** The wait before a file is read again from its checkpoint after a failed delivery. */
    private final Backoff retry;
    private volatile boolean running;
    private boolean started;
    private volatile Thread reader;
    private long nextScan;
    private long nextFlush;
    private long now;
    private int rr;

    Tailer(TailOptions options, TailSink sink) {
        this(options, sink, Clock.systemUTC(), TailMetrics.micrometer(options.source()));
    }

    Tailer(TailOptions options, TailSink sink, Clock clock, TailMetrics metrics) {
        this.o = options;
        this.clock = clock;
        this.metrics = metrics;
        this.checkpoints = new Checkpointer(options.checkpointFile(), metrics);
        this.table = new StreamTable(options, metrics,
                this.pool = new HandlePool(options.maxOpenFiles(), Math.max(options.fingerprintBytes(), LineSplitter.ANCHOR_MAX),
                        this::files, f -> discovery().vanished(f)),
                checkpoints);
        this.discovery = new Discovery(this, table, new Identity(this, table));
        this.creations = new CreationWatch(options.glob(), options.scanInterval(), options.watchNewFiles());
        this.writes = new WriteWatch(options.glob(), this::wake, options.wakeOnWrite(), "tail-" + options.source() + "-writes");
        this.buf = new byte[Math.max(options.readChunkBytes(), options.maxLineBytes() + 2)];
        this.retry = new Backoff(options.retryDelay(), Math.max(options.retryDelay(), options.retryMaxDelay()));
        this.delivery = new Delivery(sink, metrics,
                new InflightWindow(options.maxInflight(), options.maxInflightBytes(), this::wake), options.glob());
    }

    /** Loads the checkpoints and starts reading on {@code executor} (one long-running task). */
    void start(Executor executor) throws IOException {
        open();
        checkpoints.writeInBackground(o.checkpointFile().getFileName().toString(), this::wake);
        running = true;
        try {
            executor.execute(this::run);
        } catch (RuntimeException e) {
            running = false;
            metrics.close();
            checkpoints.abandon();
            checkpoints.unlock();
            throw e;
        }
        started = true;
    }

    /** Takes the checkpoint file and loads it; {@link #step} may then be called (tests drive it so). */
    void open() throws IOException {
        checkpoints.open().forEach(table::add);
        metrics.openFiles(pool::open);
        LOG.info("Tailing {} ({} known files in {})", o.glob(), table.streams().size(), checkpoints.file());
    }

    /**
     * Stops reading, waits up to {@code timeoutMs} for in-flight events, writes the checkpoints
     * and closes every file.
     */
    void stop(long timeoutMs) {
        if (!started) {
            return;
        }
        started = false;
        running = false;
        Thread t = reader;
        if (t != null) {
            LockSupport.unpark(t);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        try {
            if (!exited.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                LOG.warn("Tailer for {} did not stop within {} ms", o.glob(), timeoutMs);
            }
            while (delivery.inflight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    /** Writes the checkpoints, closes every file and lets go of the checkpoint file. */
    void close() {
        if (delivery.inflight() > 0) {
            LOG.warn("Stopping with {} events of {} not acknowledged; they will be read again on start",
                    delivery.inflight(), o.glob());
        }
        if (reader != null && exited.getCount() > 0) {
            // two threads must not write one file: the last checkpoint written stands
            LOG.warn("Not writing the checkpoints of {} at stop: its reader is still running", o.glob());
            checkpoints.abandon();
        } else {
            try {
                checkpoints.flushNow(table.streams());
            } catch (IOException e) {
                LOG.error("Could not write checkpoints to {}", checkpoints.file(), e);
            }
        }
        letGo();
    }

    /** Lets go of the checkpoint file without writing it: what a crash leaves behind (tests). */
    void abandon() {
        checkpoints.abandon();
        letGo();
    }

    /** Closes the files and the watches, and lets go of the checkpoint file. */
    private void letGo() {
        table.closeAll();
        creations.close();
        writes.close();
        metrics.close();
        checkpoints.unlock();
    }

    int inflight() {
        return delivery.inflight();
    }

    /** Why the last checkpoint write failed (naming the file), or null. Any thread. */
    String checkpointFailure() {
        String f = checkpoints.failure();
        return f == null ? null : "cannot write its checkpoints to " + checkpoints.file() + ": " + f;
    }

    /** Is the file at {@code path} being read now, and does it still hold what was read from it? (tests) */
    boolean reading(java.nio.file.Path path) throws IOException {
        return table.reading(path);
    }

    // ------------------------------------------------------------------------------------------
    // What the parts share

    TailOptions options() {
        return o;
    }

    TailMetrics metrics() {
        return metrics;
    }

    HandlePool pool() {
        return pool;
    }

    Checkpointer checkpoints() {
        return checkpoints;
    }

    Discovery discovery() {
        return discovery;
    }

    /** The reader's time for this step, in milliseconds. */
    long now() {
        return now;
    }

    /** Wall-clock time, for the checkpoint's "seen". */
    long wall() {
        return clock.millis();
    }

    byte[] buffer() {
        return buf;
    }

    Delivery delivery() {
        return delivery;
    }

    private java.util.Iterator<TailedFile> files() {
        return table.order.iterator();
    }

    // ------------------------------------------------------------------------------------------
    // The reader loop

    private void run() {
        reader = Thread.currentThread();
        try {
            long lastNew = clock.millis();
            while (running) {
                if (step()) {
                    lastNew = now;
                    writes.disarm();
                } else if (running && !discovery.scanDue()) {
                    long rest = o.restAfter(now - lastNew);
                    // quiet, not held back: a write ends the rest (a watch just set looks once more first)
                    if (rest > o.pollDelay() && delivery.inflight() == 0 && writes.arm(now, table.paths())) {
                        rest = o.pollDelay();
                    }
                    delivery.resting(true);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(rest));
                    delivery.resting(false);
                }
            }
        } finally {
            exited.countDown();
        }
    }

    /** One pass: scan if due, write new streams' identities, give every file a turn, checkpoint if due. */
    boolean step() {
        now = clock.millis();
        try {
            if (creations.changed(now)) {
                discovery.rescan();
            }
            if (discovery.scanDue() || now >= nextScan) {
                discovery.scan();
                nextScan = now + o.scanInterval();
                creations.watch(o.glob().base());
                table.files.values().forEach(f -> creations.watch(f.path.getParent()));
            }
            checkpoints.collect();
            // new streams' identities reach the disk before their first line is sent; a write put off by
            // the one in progress is asked for again at the next step, not an interval later
            if (checkpoints.hasUnsavedStreams() && checkpoints.flush(table.streams())) {
                nextFlush = now + o.checkpointInterval();
            }
            boolean progress = round();
            if (now >= nextFlush && checkpoints.flush(table.streams())) {
                nextFlush = now + o.checkpointInterval();
            }
            return progress;
        } catch (IOException | RuntimeException e) {
            if (!(e instanceof Checkpointer.WriteFailed)) { // said by the Checkpointer, once a minute
                LOG.warn("Tailing {} failed; carrying on: {}", o.glob(), e.toString(), e);
            }
            if (running) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            }
            return false;
        }
    }

    private boolean round() {
        delivery.unthrottleIfDrained();
        boolean progress = false;
        TailedFile[] snapshot = table.order.toArray(new TailedFile[0]);
        int n = snapshot.length;
        for (int k = 0; k < n && (running || !started); k++) {
            TailedFile f = snapshot[(rr + k) % n];
            if (f.stream.boundTo != f) {
                continue; // released during this round
            }
            try {
                progress |= turn(f);
            } catch (IOException e) {
                pool.close(f);
                if (now - f.lastIoErrorLog > IO_ERROR_LOG_INTERVAL_MS) {
                    f.lastIoErrorLog = now;
                    LOG.warn("Cannot read {}: {}; retrying", f.path, e.toString());
                }
            } finally {
                delivery.reportLines();
                delivery.flush();
            }
        }
        rr = n == 0 ? 0 : (rr + 1) % n;
        return progress;
    }

    /** One file's turn: recover from a failed delivery, or let the file read. */
    private boolean turn(TailedFile f) throws IOException {
        Stream s = f.stream;
        if (!s.saved()) {
            return false; // its identity is not on disk yet (the write failed): see Identity.newStream
        }
        if (f.rewindPending || s.tracker.failed()) {
            f.rewindPending = true;
            if (s.tracker.inflight() == 0) {
                rewind(f);
            }
            return false;
        }
        if (now < f.retryAt) {
            return false;
        }
        return f.read();
    }

    /** Ends the reader's rest early: room in the window, or a checkpoint write finished (a new stream may be read). */
    private void wake() {
        Thread t = reader;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** After a failure, with nothing in flight: back to the checkpoint, after a backoff. */
    private void rewind(TailedFile f) {
        Map<Long, Long> acked = f.stream.tracker.rewind();
        f.rewindTo(new HashMap<>(acked));
        f.failures++;
        long delay = retry.ceilingMs(f.failures - 1); // doubling from retryDelay up to retryMaxDelay
        f.retryAt = now + delay;
        LOG.info("Re-reading {} from offset {} in {} ms ({} later events already acknowledged are skipped)",
                f.stream.path, f.stream.tracker.committed(), delay, acked.size());
    }
}
