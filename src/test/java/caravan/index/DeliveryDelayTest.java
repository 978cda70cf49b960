package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.search.Bulk;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DeliveryDelayTest {
    private final Timer timer = Timer.builder("t").register(new SimpleMeterRegistry());
    private final DeliveryDelay delay = new DeliveryDelay(timer);

    @Test
    void eachCreatedDocumentCountsFromItsReadToTheAcknowledgement() {
        delay.acknowledged(DeliveryDelay.reads(List.of(doc(1_000), doc(1_250), doc(1_900))),
                List.of(created(), created(), created()), 2_000);

        assertThat(timer.count()).isEqualTo(3);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1_000 + 750 + 100);
        assertThat(timer.max(TimeUnit.MILLISECONDS)).isEqualTo(1_000);
    }

    @Test
    void onlyAFirstAcknowledgementCounts() {
        delay.acknowledged(DeliveryDelay.reads(List.of(doc(1_000), doc(1_000), doc(1_000), doc(1_000), doc(1_000))),
                List.of(new Bulk.Item(409, "version_conflict_engine_exception", "exists"),
                        new Bulk.Item(429, "es_rejected_execution_exception", "busy"),
                        new Bulk.Item(400, "mapper_parsing_exception", "bad"),
                        new Bulk.Item(200, null, null),
                        created()), 1_500);

        assertThat(timer.count()).isEqualTo(2);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1_000);
    }

    @Test
    void aShipperClockAheadCountsAsNoDelayAndAnUnknownReadIsLeftOut() {
        delay.acknowledged(DeliveryDelay.reads(List.of(doc(5_000), doc(DeliveryDelay.UNKNOWN))), List.of(created(), created()), 2_000);

        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.MILLISECONDS)).isZero();
        assertThat(DeliveryDelay.delayMillis(2_000, 2_345)).isEqualTo(345);
    }

    @Test
    void aResponseThatDoesNotMatchItsRequestRecordsNothing() {
        delay.acknowledged(DeliveryDelay.reads(List.of(doc(1_000), doc(1_000))), List.of(created()), 2_000);
        delay.acknowledged(DeliveryDelay.reads(List.of(doc(1_000))), null, 2_000);

        assertThat(timer.count()).isZero();
    }

    @Test
    void readTimesAreTheEnvelopesCreatedStampsInEpochMillis() {
        DeliveryDelay.ReadTimes reads = new DeliveryDelay.ReadTimes();

        assertThat(reads.millis("2026-12-03T17:05:02.123Z")).isEqualTo(1_796_317_502_123L);
        assertThat(reads.millis("2026-12-03T17:05:02.123Z")).isEqualTo(1_796_317_502_123L);
        assertThat(reads.millis("2026-12-03T17:05:03.000Z")).isEqualTo(1_796_317_503_000L);
        assertThat(reads.iso()).isEqualTo("2026-12-03T17:05:03.000Z");
        assertThat(reads.millis("2026-12-03T17:05:03.123456789Z")).isEqualTo(1_796_317_503_123L); // Vector's nanoseconds
        assertThat(reads.iso()).isEqualTo("2026-12-03T17:05:03.123Z");
        assertThat(reads.millis("yesterday")).isEqualTo(DeliveryDelay.UNKNOWN);
        assertThat(reads.iso()).isNull();
        assertThat(reads.millis(null)).isEqualTo(DeliveryDelay.UNKNOWN);
    }

    private static Bulk.Item created() {
        return new Bulk.Item(201, null, null);
    }

    private static PendingDoc doc(long readMillis) {
        return new PendingDoc("id", "logs-a-b-2026.12.03", new byte[1], "a", "s",
                new RecordOrigin("raw", 0, 1, null, new byte[0], 0, null), null, readMillis);
    }
}
