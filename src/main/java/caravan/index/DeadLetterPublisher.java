package caravan.index;

import caravan.common.Backoff;
import caravan.common.Metrics;
import caravan.common.SafeLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters to {@code logs-dlq} and returns only when Kafka has acknowledged every one
 * (acks=all, idempotent producer), so the batch's offsets are committed after its dead letters are
 * safe, never before.
 *
 * <p>A send that fails is retried after a backoff, with the consumer paused and polled, for as long
 * as it takes: a DLQ that cannot be written stops indexing rather than lose the records. The one
 * exception is a record too large for the DLQ topic: it could never be written, so a stand-in with
 * an empty value and the original's position is written instead (the original stays on
 * {@code logs-raw} until retention).
 */
public final class DeadLetterPublisher extends ServiceSupport {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final Map<String, Object> config;
    private final String topic;
    private final Backoff backoff;
    private Producer<String, byte[]> producer;

    public DeadLetterPublisher(String brokers, String topic, Backoff backoff) {
        this(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                // As large as the ship route's requests (a 1 MiB line in its envelope), plus the headers.
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024 + 64 * 1024,
                // Fail a send within a minute so it is logged and retried here, not inside the client.
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.CLIENT_ID_CONFIG, "caravan-dlq"), topic, backoff);
    }

    DeadLetterPublisher(Map<String, Object> config, String topic, Backoff backoff) {
        this.config = config;
        this.topic = topic;
        this.backoff = backoff;
    }

    /** For tests: a given producer. */
    DeadLetterPublisher(Producer<String, byte[]> producer, String topic, Backoff backoff) {
        this(Map.of(), topic, backoff);
        this.producer = producer;
    }

    public String topic() {
        return topic;
    }

    /**
     * Sends all, waits for all acknowledgements, retries what failed.
     *
     * @param exchange the batch's exchange (to stop waiting when the route stops), or null
     * @param consumer the consumer to pause while retrying
     */
    public void publish(List<DeadLetter> letters, Exchange exchange, ConsumerControl consumer) {
        List<DeadLetter> pending = letters;
        int attempt = 0;
        while (!pending.isEmpty()) {
            List<DeadLetter> failed = sendAll(pending);
            if (failed.isEmpty()) {
                break;
            }
            long delay = backoff.delayMs(attempt++);
            LOG.error("{} of {} dead letters not acknowledged by Kafka topic {}; retrying in {} ms with consumption paused",
                    failed.size(), pending.size(), topic, delay);
            consumer.waitPaused(exchange, delay, () -> false);
            pending = failed;
        }
        for (DeadLetter d : letters) {
            Metrics.deadLettered(d.stage(), d.dataset()).increment();
        }
    }

    private List<DeadLetter> sendAll(List<DeadLetter> letters) {
        Producer<String, byte[]> p = producer();
        List<Future<RecordMetadata>> acks = new ArrayList<>(letters.size());
        for (DeadLetter d : letters) {
            acks.add(send(p, d, d.origin().value()));
        }
        List<DeadLetter> failed = new ArrayList<>();
        for (int i = 0; i < letters.size(); i++) {
            DeadLetter d = letters.get(i);
            try {
                acks.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IndexingStopped("interrupted while writing dead letters", e);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RecordTooLargeException) {
                    if (!standIn(p, d)) {
                        failed.add(d);
                    }
                } else {
                    LOG.warn("Dead letter for {} not written: {}", d.origin().position(), e.getCause().toString());
                    failed.add(d);
                }
            }
        }
        return failed;
    }

    private boolean standIn(Producer<String, byte[]> p, DeadLetter d) {
        DeadLetter stub = new DeadLetter(d.origin(), d.stage(), d.reason() + " [value of "
                + (d.origin().value() == null ? 0 : d.origin().value().length) + " bytes too large for " + topic
                + ": left out; the original is at " + d.origin().position() + "]", d.exception(), d.status(),
                d.dataset(), d.source(), d.failedAt());
        LOG.error("Dead letter for {} too large for {}; writing it without its value", d.origin().position(), topic);
        try {
            send(p, stub, new byte[0]).get();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexingStopped("interrupted while writing dead letters", e);
        } catch (ExecutionException e) {
            LOG.warn("Stand-in dead letter for {} not written: {}", d.origin().position(), SafeLog.escape(e.getCause().toString()));
            return false;
        }
    }

    private Future<RecordMetadata> send(Producer<String, byte[]> p, DeadLetter d, byte[] value) {
        Headers headers = DlqHeaders.build(d);
        try {
            return p.send(new ProducerRecord<>(topic, null, d.origin().key(), value, headers));
        } catch (RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    private synchronized Producer<String, byte[]> producer() {
        if (producer == null) {
            producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    @Override
    protected synchronized void doStop() {
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(10));
            producer = null;
        }
    }
}
