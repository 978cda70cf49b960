package caravan.index;

import caravan.common.Metrics;
import caravan.common.SafeLog;
import caravan.event.Envelope;
import caravan.event.LogEvent;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a batch of {@code logs-raw} envelopes into parsed events: envelope, then the format's parser.
 *
 * <p>A record that cannot become an event (not an envelope, unknown format, a line that does not
 * match its format, a parser that throws) is never dropped in silence: it becomes an
 * {@link IndexBatch.Failure} with the stage and reason, is counted and logged, and goes to the DLQ
 * with the batch. One bad record never fails the others.
 */
public final class ParseBatchProcessor implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(ParseBatchProcessor.class);
    private final TopicFormats topics;

    public ParseBatchProcessor() {
        this(TopicFormats.NONE);
    }

    /** @param topics the topics besides logs-raw and the format of their lines */
    public ParseBatchProcessor(TopicFormats topics) {
        this.topics = topics;
    }

    /**
     * @param exchange its body: a chunk of a poll, one origin per envelope ({@link PollChunks}), or the polled
     *                 record exchanges themselves
     */
    @Override
    public void process(Exchange exchange) {
        List<?> records = exchange.getMessage().getBody(List.class);
        IndexBatch batch = new IndexBatch();
        List<RecordOrigin> origins = PollChunks.origins(records);
        Meters meters = new Meters();
        for (RecordOrigin origin : origins) {
            parse(origin, batch, meters, topics);
        }
        batch.origins(origins);
        meters.flush();
        exchange.getMessage().setBody(batch);
    }

    /** Per-dataset meters looked up once per batch, not per record (a registry lookup is not free). */
    static final class Meters {
        private final java.util.Map<String, io.micrometer.core.instrument.Timer> timers = new java.util.HashMap<>();
        private final java.util.Map<String, long[]> parsed = new java.util.HashMap<>();

        void parsed(String dataset, long nanos) {
            timers.computeIfAbsent(dataset, d -> Metrics.processingSeconds("parse", d)).record(nanos, TimeUnit.NANOSECONDS);
            parsed.computeIfAbsent(dataset, d -> new long[1])[0]++;
        }

        void flush() {
            parsed.forEach((d, n) -> Metrics.processed("parse", d).increment(n[0]));
        }
    }

    static void parse(RecordOrigin origin, IndexBatch batch) {
        Meters meters = new Meters();
        parse(origin, batch, meters, TopicFormats.NONE);
        meters.flush();
    }

    static void parse(RecordOrigin origin, IndexBatch batch, Meters meters, TopicFormats topics) {
        byte[] value = origin.value();
        Envelope env;
        try {
            if (value == null) {
                throw new IllegalArgumentException("record has no value");
            }
            if (origin.problem() != null) {
                throw new IllegalArgumentException(origin.problem());
            }
            env = topics.envelope(origin.idTopic(), value);
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
        if (env.dataset() == null) {
            dataset = parser.dataset(); // another shipper's record: the format says what it is
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
        meters.parsed(dataset, System.nanoTime() - started);
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
