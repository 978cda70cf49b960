package caravan.index;

import caravan.common.Backoff;
import caravan.common.KafkaAcks;
import caravan.common.Metrics;
import caravan.common.SafeLog;
import java.util.ArrayList;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes dead letters to {@code logs-dlq} through the configured camel kafka component (so with
 * the same brokers and security as every other client), and returns only when Kafka has
 * acknowledged every one (acks=all, idempotent producer): the batch's offsets are committed after
 * its dead letters are safe, never before.
 *
 * <p>A send that fails is retried after a backoff, with the consumer paused and polled, for as long
 * as it takes: a DLQ that cannot be written stops indexing rather than lose the records. The one
 * exception is a record too large for the DLQ topic: it could never be written, so a stand-in with
 * an empty value and the original's position is written instead (the original stays on
 * {@code logs-raw} until retention).
 */
public final class DeadLetterPublisher {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);
    /** As large as the ship route's requests (a 1 MiB line in its envelope), plus the headers. */
    static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024 + 64 * 1024;

    private final ProducerTemplate template;
    private final String uri;
    private final String topic;
    private final Backoff backoff;

    public DeadLetterPublisher(ProducerTemplate template, String topic, Backoff backoff) {
        this.template = template;
        this.topic = topic;
        this.backoff = backoff;
        this.uri = "kafka:" + topic + "?requestRequiredAcks=all&enableIdempotence=true&lingerMs=5&compressionCodec=lz4"
                + "&maxRequestSize=" + MAX_REQUEST_BYTES
                // Fail a send within a minute so it is logged and retried here, not inside the client.
                + "&deliveryTimeoutMs=60000&requestTimeoutMs=30000&clientId=caravan-dlq"
                // each element of a batch is a record with its own headers, and gets its own metadata: which ones Kafka holds
                + "&recordMetadata=true&batchWithIndividualHeaders=true"
                + "&keySerializer=org.apache.kafka.common.serialization.StringSerializer"
                + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer";
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
        List<Message> records = new ArrayList<>(letters.size());
        for (DeadLetter d : letters) {
            records.add(record(d, d.origin().value()));
        }
        Throwable error = send(records);
        List<DeadLetter> failed = new ArrayList<>();
        for (int i = 0; i < letters.size(); i++) {
            if (!KafkaAcks.acknowledged(records.get(i))) {
                failed.add(letters.get(i));
            }
        }
        if (failed.isEmpty()) {
            return failed;
        }
        if (!tooLarge(error)) {
            LOG.warn("{} dead letters not written: {}", failed.size(), SafeLog.escape(String.valueOf(error)));
            return failed;
        }
        // One record too large fails the batch's exchange: alone, each tells whether it is the one.
        List<DeadLetter> still = new ArrayList<>();
        for (DeadLetter d : failed) {
            Throwable alone = send(List.of(record(d, d.origin().value())));
            if (alone != null && !(tooLarge(alone) && standIn(d))) {
                still.add(d);
            }
        }
        return still;
    }

    private boolean standIn(DeadLetter d) {
        DeadLetter stub = new DeadLetter(d.origin(), d.stage(), d.reason() + " [value of "
                + (d.origin().value() == null ? 0 : d.origin().value().length) + " bytes too large for " + topic
                + ": left out; the original is at " + d.origin().position() + "]", d.exception(), d.status(),
                d.dataset(), d.source(), d.failedAt());
        LOG.error("Dead letter for {} too large for {}; writing it without its value", d.origin().position(), topic);
        Throwable e = send(List.of(record(stub, new byte[0])));
        if (e != null) {
            LOG.warn("Stand-in dead letter for {} not written: {}", d.origin().position(), SafeLog.escape(e.toString()));
        }
        return e == null;
    }

    /** One exchange for the batch; camel-kafka sends each element as a record. The error, or null. */
    private Throwable send(List<Message> records) {
        Exchange done = template.send(uri, e -> e.getMessage().setBody(records));
        if (done.getException() instanceof InterruptedException || Thread.currentThread().isInterrupted()) {
            Thread.currentThread().interrupt();
            throw new IndexingStopped("interrupted while writing dead letters", done.getException());
        }
        return done.getException();
    }

    private Message record(DeadLetter d, byte[] value) {
        CamelContext ctx = template.getCamelContext();
        Message m = new DefaultMessage(ctx);
        m.setBody(value);
        if (d.origin().key() != null) {
            m.setHeader(KafkaConstants.KEY, d.origin().key());
        }
        // As bytes: camel-kafka would encode a String header in the platform charset, DlqHeaders uses UTF-8.
        for (Header h : DlqHeaders.build(d)) {
            m.setHeader(h.key(), h.value());
        }
        return m;
    }

    private static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }
}
