package caravan.index;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The index route's Kafka consumer. camel-kafka's batching consumer decides whether the batch it
 * gathers is complete only as a poll returns, before it adds that poll's records, and an empty poll
 * completes it. With one poll timeout for all, a tail pass's records waited for the next pass's to
 * come back. Here the poll after records returns empty at once when the consumer has caught up with
 * every partition it reads (Kafka's high watermark in the last fetch), so the batch goes on then; it
 * waits {@code caravan.index.batch.linger-ms} for more when Kafka has more or cannot tell, and
 * after a poll that brought nothing {@code caravan.index.batch.poll-ms}, or less when work between
 * polls falls due sooner ({@link IndexBatches#idleWaitMs}).
 */
final class PacedConsumer<K, V> extends KafkaConsumer<K, V> {
    private final Duration linger;
    private final LongSupplier idle;
    private boolean broughtRecords;

    /** @param idle how long the next idle poll waits, in ms; asked on the consumer's thread, before each */
    PacedConsumer(Properties props, Duration linger, LongSupplier idle) {
        super(props);
        this.linger = linger;
        this.idle = idle;
    }

    /**
     * @param timeout Camel's poll timeout in its loop (0: an empty poll completes the batch), paced
     *                here; or a slice of a paused wait in {@link ConsumerControl} (a retry's backoff),
     *                kept as it is
     */
    @Override
    public ConsumerRecords<K, V> poll(Duration timeout) {
        if (broughtRecords && timeout.isZero() && caughtUp()) {
            broughtRecords = false;
            return ConsumerRecords.empty();
        }
        ConsumerRecords<K, V> records = super.poll(wait(broughtRecords, timeout, linger, idle));
        broughtRecords = !records.isEmpty();
        return records;
    }

    /** A poll of Camel's loop waits the linger after records, else what {@code idleMs} says; any other poll as asked. */
    static Duration wait(boolean afterRecords, Duration timeout, Duration linger, LongSupplier idleMs) {
        if (!timeout.isZero()) {
            return timeout;
        }
        return afterRecords ? linger : Duration.ofMillis(idleMs.getAsLong());
    }

    /** Whether every partition read (assigned, not paused) is known to have nothing after what was returned. */
    private boolean caughtUp() {
        Set<TopicPartition> paused = paused();
        for (TopicPartition tp : assignment()) {
            if (!paused.contains(tp)) {
                OptionalLong lag = currentLag(tp);
                if (lag.isEmpty() || lag.getAsLong() > 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Camel's client factory for the index endpoint ({@code kafkaClientFactory}); producers as Camel's. */
    static final class Factory extends DefaultKafkaClientFactory {
        private final Duration linger;
        private final LongSupplier idle;

        /** @param idleMs how long each idle poll waits, asked before it */
        Factory(long lingerMs, LongSupplier idleMs) {
            this.linger = Duration.ofMillis(lingerMs);
            this.idle = idleMs;
        }

        @Override
        public Consumer<Object, Object> getConsumer(Properties props) {
            return new PacedConsumer<>(props, linger, idle);
        }
    }
}
