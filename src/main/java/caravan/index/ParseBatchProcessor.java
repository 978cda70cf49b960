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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a batch of {@code logs-raw} records into parsed events: envelope, then the format's parser.
 *
 * <p>A record that cannot become an event (not an envelope, unknown format, a line that does not
 * match its format, a parser that throws) is never dropped in silence: it becomes an
 * {@link IndexBatch.Failure} with the stage and reason, is counted and logged, and goes to the DLQ
 * with the batch. One bad record never fails the others.
 */
public final class ParseBatchProcessor implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(ParseBatchProcessor.class);

    @Override
    public void process(Exchange exchange) {
        List<?> records = exchange.getMessage().getBody(List.class);
        IndexBatch batch = new IndexBatch();
        batch.records(records);
        for (Object o : records) {
            parse(RecordOrigin.of((Exchange) o), batch);
        }
        exchange.getMessage().setBody(batch);
    }

    static void parse(RecordOrigin origin, IndexBatch batch) {
        byte[] value = origin.value();
        Envelope env;
        try {
            if (value == null) {
                throw new IllegalArgumentException("record has no value");
            }
            env = Envelope.fromJson(value);
        } catch (RuntimeException e) {
            fail(batch, "envelope", e.getMessage(), e, "unknown", null, origin);
            return;
        }
        String dataset = env.dataset() == null ? "generic" : env.dataset();
        LineParser parser;
        try {
            parser = Parsers.forFormat(env.format());
        } catch (RuntimeException e) {
            fail(batch, "parse", e.getMessage(), e, dataset, env.source(), origin);
            return;
        }
        LogEvent event = new LogEvent();
        long started = System.nanoTime();
        try {
            parser.parse(env.message(), event);
        } catch (ParseException e) {
            fail(batch, "parse", "line does not match format '" + env.format() + "': " + e.getMessage(),
                    e, dataset, env.source(), origin);
            return;
        } catch (RuntimeException e) {
            // A parser bug on a hostile line: that line goes to the DLQ, the batch goes on.
            fail(batch, "parse", "parser failed on the line: " + e, e, dataset, env.source(), origin);
            return;
        }
        Metrics.processingSeconds("parse", dataset).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        Metrics.processed("parse", dataset).increment();
        batch.items().add(new IndexBatch.Item(event, env, dataset, origin));
    }

    static void fail(IndexBatch batch, String stage, String reason, Throwable e, String dataset, String source,
                     RecordOrigin origin) {
        batch.failures().add(new IndexBatch.Failure(stage, String.valueOf(reason), e.getClass().getName(), 0,
                dataset, source, origin));
        Metrics.failed(stage, dataset).increment();
        LOG.warn("Record {} failed at {}: {}", origin.position(), stage, SafeLog.escape(String.valueOf(reason)));
    }
}
