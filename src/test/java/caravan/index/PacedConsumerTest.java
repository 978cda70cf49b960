package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** How long the index consumer's polls wait: short after records, so that the batch goes on; long when idle. */
class PacedConsumerTest {
    private static final Duration CAMEL = Duration.ZERO;
    private static final Duration LINGER = Duration.ofMillis(10);
    private static final java.util.function.LongSupplier IDLE = () -> 500;

    @Test
    void afterRecordsAPollWaitsOnlyTheLingerSoThatAnEmptyOneEndsTheBatch() {
        assertThat(PacedConsumer.wait(true, CAMEL, LINGER, IDLE)).isEqualTo(LINGER);
    }

    @Test
    void afterAnEmptyPollItWaitsTheIdleTimeNotCamelsZero() {
        assertThat(PacedConsumer.wait(false, CAMEL, LINGER, IDLE)).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void aPausedWaitsSliceIsKeptEitherWayEvenWhenShorterThanTheIdleWait() {
        for (Duration slice : new Duration[] {Duration.ofMillis(250), Duration.ofMillis(200), Duration.ofMillis(1)}) {
            // ConsumerControl's paused wait: a full slice, a retry's first backoff, the end of a wait
            assertThat(PacedConsumer.wait(false, slice, LINGER, IDLE)).isEqualTo(slice);
            assertThat(PacedConsumer.wait(true, slice, LINGER, IDLE)).isEqualTo(slice);
        }
    }
}
