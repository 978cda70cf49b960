package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint writes on their own thread: the reader is never held up by one, and loses nothing by it. */
class CheckpointerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<List<CheckpointStore.Entry>> written = new CopyOnWriteArrayList<>();
    private final AtomicInteger woken = new AtomicInteger();
    /** Writes begun. */
    private final AtomicInteger calls = new AtomicInteger();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final TailMetrics metrics = new MicrometerTailMetrics(registry, "cp");

    /** A write that waits for {@link #release} before it is done, as an fsync does under another process's writes. */
    private Checkpointer heldUp(int failures) throws IOException {
        AtomicInteger fail = new AtomicInteger(failures);
        Checkpointer c = new Checkpointer(dir.resolve("cp.json"), entries -> {
            calls.incrementAndGet();
            entered.countDown();
            try {
                assertThat(release.await(30, TimeUnit.SECONDS)).isTrue();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            if (fail.getAndDecrement() > 0) {
                throw new IOException("No space left on device");
            }
            written.add(List.copyOf(entries));
        }, metrics);
        c.open();
        c.writeInBackground("test", woken::incrementAndGet);
        return c;
    }

    private long writes(String outcome) {
        return registry.find("caravan.tail.checkpoint.writes").tag("source", "cp").tag("outcome", outcome).timer().count();
    }

    private static Stream stream(String id) {
        return new Stream(id, "/var/log/" + id + ".log", 1, 2, 10, 3, 0, 0, 0, 0);
    }

    /** A stream found, its write asked for and now held up in the saver. */
    private Stream foundAndHeld(Checkpointer c, String id) throws Exception {
        Stream s = found(c, id);
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
        return s;
    }

    /** A stream found by the reader: added, and its write asked for. */
    private static Stream found(Checkpointer c, String id) throws IOException {
        Stream s = stream(id);
        c.added();
        c.flush(List.of(s));
        return s;
    }

    @Test
    void aWriteInProgressHoldsUpNeitherTheReaderNorANewStreamsWaitBeyondIt() throws Exception {
        Checkpointer c = heldUp(0);
        Stream s = foundAndHeld(c, "a"); // returns while the write is held up
        assertThat(c.hasUnsavedStreams()).isTrue();
        assertThat(s.saved()).as("its lines wait until it is on disk").isFalse();
        c.changed();
        assertThat(c.flush(List.of(s))).as("put off by the write in progress").isFalse();
        assertThat(calls).as("no second write begun").hasValue(1);

        release.countDown();
        await().atMost(WAIT).until(() -> woken.get() == 1);
        c.collect();
        assertThat(s.saved()).isTrue();
        assertThat(c.hasUnsavedStreams()).isFalse();
        assertThat(written).hasSize(1);
        assertThat(written.get(0)).extracting(CheckpointStore.Entry::id).containsExactly("a");

        c.flush(List.of(s)); // the change made during the first write
        await().atMost(WAIT).until(() -> written.size() == 2);
        c.flushNow(List.of(s));
        assertThat(written).as("nothing left to write").hasSize(2);
        c.unlock();
    }

    @Test
    void aFailedWriteIsThrownAtTheNextCallAndWrittenAgain() throws Exception {
        Checkpointer c = heldUp(1);
        Stream s = found(c, "a");
        release.countDown();
        await().atMost(WAIT).until(() -> woken.get() == 1);
        assertThatThrownBy(() -> c.flush(List.of(s))).isInstanceOf(IOException.class).hasMessageContaining("No space left");
        assertThat(c.hasUnsavedStreams()).isTrue();
        assertThat(s.saved()).isFalse();

        c.flush(List.of(s));
        await().atMost(WAIT).until(() -> woken.get() == 2);
        c.collect();
        assertThat(s.saved()).isTrue();
        assertThat(c.hasUnsavedStreams()).isFalse();
        assertThat(writes("failed")).isEqualTo(1);
        assertThat(writes("ok")).isEqualTo(1);
        c.abandon();
        c.unlock();
    }

    @Test
    void aFailedWriteInProgressAtStopDoesNotKeepTheLastOneFromBeingWritten() throws Exception {
        Checkpointer c = heldUp(1);
        Stream s = foundAndHeld(c, "a");
        release.countDown(); // it fails
        c.flushNow(List.of(s));
        assertThat(written).hasSize(1);
        assertThat(s.saved()).isTrue();
        assertThat(c.hasUnsavedStreams()).isFalse();
        c.unlock();
    }

    @Test
    void anErrorInAWriteEndsItAsAFailureInsteadOfHangingTheNextOnes() throws Exception {
        AtomicInteger errors = new AtomicInteger(1);
        Checkpointer c = new Checkpointer(dir.resolve("cp.json"), entries -> {
            if (errors.getAndDecrement() > 0) {
                throw new StackOverflowError("deep");
            }
            written.add(List.copyOf(entries));
        }, metrics);
        c.open();
        c.writeInBackground("test", woken::incrementAndGet);
        Stream s = found(c, "a");
        // the Error goes on to the writer thread's handler once the write is marked done
        await().dontCatchUncaughtExceptions().atMost(WAIT).until(() -> woken.get() == 1);
        assertThatThrownBy(c::collect).isInstanceOf(IOException.class).hasMessageContaining("StackOverflowError");
        assertThat(c.flush(List.of(s))).isTrue();
        await().atMost(WAIT).until(() -> woken.get() == 2);
        c.collect();
        assertThat(s.saved()).isTrue();
        c.flushNow(List.of(s));
        c.unlock();
    }

    @Test
    void stoppingWaitsForTheWriteInProgressThenWritesTheLatestState() throws Exception {
        Checkpointer c = heldUp(0);
        Stream a = foundAndHeld(c, "a");
        Stream b = stream("b");
        c.added();
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            release.countDown();
        });
        releaser.start();
        c.flushNow(List.of(a, b));
        assertThat(written).hasSize(2);
        assertThat(written.get(1)).extracting(CheckpointStore.Entry::id).containsExactly("a", "b");
        assertThat(a.saved()).isTrue();
        assertThat(b.saved()).isTrue();
        c.unlock();
    }

    @Test
    void withoutAWriterThreadAWriteIsDoneWhenFlushReturns() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Checkpointer c = new Checkpointer(dir.resolve("cp.json"), entries -> calls.incrementAndGet(), metrics);
        c.open();
        Stream s = found(c, "a");
        assertThat(calls).hasValue(1);
        assertThat(s.saved()).isTrue();
        c.flush(List.of(s));
        assertThat(calls).as("nothing changed").hasValue(1);
        c.unlock();
    }
}
