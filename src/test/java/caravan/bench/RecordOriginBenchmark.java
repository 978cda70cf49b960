package caravan.bench;

import caravan.index.DlqHeaders;
import caravan.index.RecordOrigin;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading a record's origin from the exchange the batching Kafka consumer hands over:
 * {@link RecordOrigin#of}'s six lookups in Camel's case-insensitive header map against one pass over
 * the headers. The pass was slower (BENCHMARKS.md, "A record's origin from Camel's headers, session
 * 17") and was not adopted. {@code bench/jmh.sh RecordOriginBenchmark -f 3}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordOriginBenchmark {
    private Exchange[] records;
    private int next;

    @Setup
    public void setUp() {
        DefaultCamelContext ctx = new DefaultCamelContext();
        records = new Exchange[1024];
        for (int i = 0; i < records.length; i++) {
            Exchange e = new DefaultExchange(ctx);
            var m = e.getMessage();
            // the headers camel-kafka 4 sets on a record exchange, plus the record's own (none on a fresh one)
            m.setHeader(KafkaConstants.PARTITION, i % 3);
            m.setHeader(KafkaConstants.TOPIC, "logs-raw");
            m.setHeader(KafkaConstants.OFFSET, 1_000_000L + i);
            m.setHeader(KafkaConstants.TIMESTAMP, 1_700_000_000_000L + i);
            m.setHeader(KafkaConstants.KEY, "web-" + i % 7 + "|/var/log/nginx/access.log");
            m.setHeader(KafkaConstants.HEADERS, new RecordHeaders());
            m.setHeader(KafkaConstants.LAST_RECORD_BEFORE_COMMIT, Boolean.FALSE);
            m.setHeader(KafkaConstants.LAST_POLL_RECORD, i == records.length - 1);
            m.setBody(("line " + i).getBytes(StandardCharsets.UTF_8));
            records[i] = e;
        }
    }

    private Exchange nextRecord() {
        next = (next + 1) & (records.length - 1);
        return records[next];
    }

    /** How the index route reads it: six lookups in Camel's case-insensitive header map. */
    @Benchmark
    public RecordOrigin lookups() {
        return RecordOrigin.of(nextRecord());
    }

    /** The alternative tried in session 17: one pass over the headers, matched by a switch. */
    @Benchmark
    public RecordOrigin onePass() {
        var m = nextRecord().getMessage();
        String topic = null;
        int partition = -1;
        long offset = -1;
        Object key = null;
        Headers headers = null;
        for (Map.Entry<String, Object> h : m.getHeaders().entrySet()) {
            Object v = h.getValue();
            switch (h.getKey()) {
                case KafkaConstants.TOPIC -> topic = v == null ? null : v.toString();
                case KafkaConstants.PARTITION -> partition = v instanceof Number n ? n.intValue() : partition;
                case KafkaConstants.OFFSET -> offset = v instanceof Number n ? n.longValue() : offset;
                case KafkaConstants.KEY -> key = v;
                case KafkaConstants.HEADERS -> headers = v instanceof Headers hs ? hs : null;
                default -> {
                }
            }
        }
        return new RecordOrigin(topic, partition, offset, key == null ? null : key.toString(), m.getBody(byte[].class),
                DlqHeaders.replayCount(headers), RecordOrigin.text(headers, DlqHeaders.FIRST_FAILURE),
                RecordOrigin.text(headers, DlqHeaders.FIRST_POSITION));
    }
}
