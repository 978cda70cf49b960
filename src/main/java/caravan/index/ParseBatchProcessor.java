package caravan.index;

import caravan.ops.Metrics;
import caravan.ops.SafeLog;
import caravan.parse.LineParser;
import caravan.parse.LogEvent;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import caravan.ship.Envelope;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.kafka.KafkaConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a batch of {@code logs-raw} records into parsed events: envelope, then the format's parser.
 *
 * <p>A record that cannot become an event (not an envelope, unknown format, a line that does not
 * match its format) is never dropped in silence: it becomes an {@link IndexBatch.Failure} with the
 * reason, is counted and logged, and travels on with the batch.
 */
public final class ParseBatchProcessor implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(ParseBatchProcessor.class);

    @Override
    public void process(Exchange exchange) {
        List<?> records = exchange.getMessage().getBody(List.class);
        IndexBatch batch = new IndexBatch();
        for (Object o : records) {
            Exchange rec = (Exchange) o;
            byte[] value = rec.getMessage().getBody(byte[].class);
            int partition = rec.getMessage().getHeader(KafkaConstants.PARTITION, -1, Integer.class);
            long offset = rec.getMessage().getHeader(KafkaConstants.OFFSET, -1L, Long.class);
            parse(value, partition, offset, batch);
        }
        exchange.getMessage().setBody(batch);
    }

    static void parse(byte[] value, int partition, long offset, IndexBatch batch) {
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
        LogEvent event = new LogEvent();
        long started = System.nanoTime();
        try {
            parser.parse(env.message(), event);
        } catch (ParseException e) {
            fail(batch, "parse", "line does not match format '" + env.format() + "' " + e.getMessage(),
                    dataset, partition, offset, value);
            return;
        }
        Metrics.processingSeconds("parse", dataset).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        Metrics.processed("parse", dataset).increment();
        batch.items().add(new IndexBatch.Item(event, env, dataset, partition, offset, value));
    }

    static void fail(IndexBatch batch, String stage, String reason, String dataset, int partition, long offset,
                     byte[] value) {
        batch.failures().add(new IndexBatch.Failure(stage, reason, dataset, partition, offset, value));
        Metrics.failed(stage, dataset).increment();
        LOG.warn("Record {}@{} failed at {}: {}", partition, offset, stage, SafeLog.escape(reason));
    }
}
