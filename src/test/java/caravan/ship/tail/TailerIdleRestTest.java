package caravan.ship.tail;

import static caravan.ship.tail.TailFiles.append;
import static caravan.ship.tail.TailFiles.awaitExactly;
import static caravan.ship.tail.TailFiles.sleep;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reader's rest grows while its files stay quiet (idlePollDelay), so that an idle shipper wakes a
 * few times a second instead of twenty, and a line after the silence is still read.
 */
class TailerIdleRestTest {
    @TempDir
    Path dir;

    @Test
    void theRestIsAQuarterOfTheQuietBetweenPollDelayAndIdlePollDelay() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            String uri = "tail:" + dir + "/a.log?checkpointDir=" + dir;
            TailOptions o = ctx.getEndpoint(uri, TailEndpoint.class).options("a");
            assertThat(List.of(o.pollDelay(), o.idlePollDelay())).containsExactly(100L, 250L);
            assertThat(List.of(o.restAfter(0), o.restAfter(200), o.restAfter(400), o.restAfter(999), o.restAfter(60_000)))
                    .containsExactly(100L, 100L, 100L, 249L, 250L);
            TailOptions flat = ctx.getEndpoint(uri + "&pollDelay=100&idlePollDelay=20", TailEndpoint.class).options("b");
            assertThat(flat.restAfter(60_000)).as("never shorter than pollDelay").isEqualTo(100);
            assertThatThrownBy(() -> ctx.getEndpoint(uri + "&idlePollDelay=0", TailEndpoint.class).options("c"))
                    .hasMessageContaining("idlePollDelay must be positive");
        }
    }

    @Test
    void quietFilesAreLookedAtLessOftenAndALineAfterTheSilenceIsStillRead() throws Exception {
        long flat = passesWhileQuiet(10, "flat");
        long growing = passesWhileQuiet(250, "growing");
        // at a 10 ms rest about 100 passes a second; at 250 ms about 4
        assertThat(growing).as("clock reads in a quiet second: %d growing, %d flat", growing, flat).isLessThan(flat / 4);
    }

    /** The reader's clock reads over one second, after 1.5 s of quiet; then a new line still arrives. */
    private long passesWhileQuiet(long idlePollDelay, String name) throws Exception {
        Path log = dir.resolve(name + ".log");
        append(log, "first\n");
        Harness.Builder b = Harness.options(log, dir.resolve(name + "-cp"));
        b.idlePollDelay = idlePollDelay;
        CountingClock clock = new CountingClock();
        try (Harness h = new Harness().start(b.build(), clock)) {
            awaitExactly(h, List.of("first"));
            sleep(1500);
            long before = clock.reads.get();
            sleep(1000);
            long reads = clock.reads.get() - before;
            append(log, "after the silence\n");
            awaitExactly(h, List.of("first", "after the silence"));
            return reads;
        }
    }

    /** The system clock, counting its reads. */
    private static final class CountingClock extends MillisClock {
        final AtomicLong reads = new AtomicLong();

        @Override
        public long millis() {
            reads.incrementAndGet();
            return System.currentTimeMillis();
        }
    }
}
