package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The demo's wait for its documents: a search engine's passing refusal is not the demo's end. */
class DemoCommandTest {

    @Test
    void aFailedPollIsTriedAgainUntilTheDocumentsAreThere() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        long count = DemoCommand.waitForCount(() -> {
            if (polls.incrementAndGet() <= 2) { // what a new index answers before its shard has started
                throw new IOException("503 Service Unavailable: no_shard_available_action_exception");
            }
            return 400;
        }, 400, Duration.ofSeconds(30));
        assertThat(count).isEqualTo(400);
        assertThat(polls).hasValue(3);
    }

    @Test
    void whenTheTimeRunsOutItGivesWhatItLastCounted() throws InterruptedException {
        AtomicInteger polls = new AtomicInteger();
        long count = DemoCommand.waitForCount(() -> {
            if (polls.incrementAndGet() == 1) {
                return 120;
            }
            throw new IOException("503 Service Unavailable");
        }, 400, Duration.ofMillis(1200));
        assertThat(count).isEqualTo(120);
        assertThat(polls.get()).isGreaterThan(1);
    }
}
