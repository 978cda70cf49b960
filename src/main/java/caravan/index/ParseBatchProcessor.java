package caravan.index;

import caravan.ops.Metrics;
import caravan.ops.SafeLog;
import caravan.parse.LineParser;
import caravan.parse.LogEvent;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import caravan.ship.Envelope;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a batch of {@code logs-raw} records into documents: envelope, parse, ECS JSON, id, index.
 *
 * <p>A record that cannot become a document (not an envelope, unknown format, a line that does not
 * match its format) is never dropped in silence: it becomes an {@link IndexBatch.Failure} with the
 * reason, is counted and logged, and travels on with the batch.
 */
public final class ParseBatchProcessor implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(ParseBatchProcessor.class);

    private final String namespace;
    private final ThreadLocal<EcsJsonWriter> writers = ThreadLocal.withInitial(EcsJsonWriter::new);

    public ParseBatchProcessor(String namespace) {
        this.namespace = namespace;
    }

    @Override
    public void process(Exchange exchange) {
        List<?> records = exchange.getMessage().getBody(List.class);
        IndexBatch batch = new IndexBatch();
        LogEvent event = new LogEvent();
        EcsJsonWriter writer = writers.get();
        String ingested = caravan.index.Timestamps.iso(System.currentTimeMillis());
        for (Object o : records) {
            Exchange rec = (Exchange) o;
            byte[] value = rec.getMessage().getBody(byte[].class);
            int partition = rec.getMessage().getHeader(KafkaConstants.PARTITION, -1, Integer.class);
            long offset = rec.getMessage().getHeader(KafkaConstants.OFFSET, -1L, Long.class);
            toDocument(value, partition, offset, ingested, event, writer, batch);
        }
        exchange.getMessage().setBody(batch);
    }

    void toDocument(byte[] value, int partition, long offset, String ingested, LogEvent event,
                    EcsJsonWriter writer, IndexBatch batch) {
        Envelope env;
        try {
            env = Envelope.fromJson(value);
        } catch (IllegalArgumentException e) {
            fail(batch, "envelope", e.getMessage(), "unknown", partition, offset, value);
            return;
        }
        String dataset = env.dataset() == null ? "generic" : env.dataset();
        LineParser parser;
        try {
            parser = Parsers.forFormat(env.format());
        } catch (IllegalArgumentException e) {
            fail(batch, "parse", e.getMessage(), dataset, partition, offset, value);
            return;
        }
        event.reset();
        long started = System.nanoTime();
        try {
            parser.parse(env.message(), event);
        } catch (ParseException e) {
            fail(batch, "parse", "line does not match format '" + env.format() + "' " + e.getMessage(),
                    dataset, partition, offset, value);
            return;
        }
        if (event.timestampMillis == LogEvent.ABSENT) {
            event.timestampMillis = createdMillis(env);
        }
        event.put("host.name", env.host())
                .put("log.file.path", env.path())
                .put("service.name", env.service())
                .put("event.dataset", dataset)
                .put("event.ingested", ingested)
                .put("caravan.source", env.source());
        if (env.offset() >= 0) {
            event.put("log.offset", env.offset());
        }
        byte[] json = writer.write(event);
        String id = DocumentIds.of(env.host(), env.fileId(), env.offset());
        batch.docs().add(new PendingDoc(id, IndexNames.daily(dataset, namespace, event.timestampMillis), json,
                partition, offset, value));
        Metrics.processingSeconds("parse", dataset).record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private static long createdMillis(Envelope env) {
        try {
            return java.time.Instant.parse(env.created()).toEpochMilli();
        } catch (RuntimeException e) {
            return System.currentTimeMillis();
        }
    }

    private static void fail(IndexBatch batch, String stage, String reason, String dataset, int partition, long offset,
                             byte[] value) {
        batch.failures().add(new IndexBatch.Failure(stage, reason, dataset, partition, offset, value));
        Metrics.failed(stage, dataset).increment();
        LOG.warn("Record {}@{} failed at {}: {}", partition, offset, stage, SafeLog.escape(reason));
    }
}
