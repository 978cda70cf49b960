package caravan.ship.tail;

import caravan.event.Envelope;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * The shipper's envelope per line: the corpus's lines with one file's fields, as the ship route
 * builds them (the file's strings are the same objects from line to line), into the JSON bytes
 * Kafka gets, one envelope at a time and as records of 64 (the route's grouping). The reference is
 * Jackson's generator writing the same bytes into a reused buffer.
 * {@code bench/jmh.sh EnvelopeWriteBenchmark -f 3 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnvelopeWriteBenchmark {
    private final ByteArrayBuilder out = new ByteArrayBuilder(1024);
    private String[] lines;
    private int next;
    private final String path = "/var/log/apache2/access.log";
    private final String host = "web-1";
    private final String created = "2026-12-05T23:40:00.123Z";
    private final String fileId = "fe00-20c923-7174424e0fae6467";

    /** Records of {@link #RECORD_LINES} envelopes, as the ship route groups a batch's lines. */
    private List<List<Envelope>> records;
    private int nextRecord;
    static final int RECORD_LINES = 64;

    @Setup
    public void setUp() throws IOException {
        List<String> corpus = Files.readAllLines(Path.of("src/test/resources/corpus/apache_combined_10k.log"));
        lines = corpus.subList(0, 4096).toArray(String[]::new);
        records = new java.util.ArrayList<>();
        for (int r = 0; r < lines.length / RECORD_LINES; r++) {
            List<Envelope> record = new java.util.ArrayList<>();
            for (int i = 0; i < RECORD_LINES; i++) {
                record.add(nextEnvelope());
            }
            records.add(record);
        }
    }

    private Envelope nextEnvelope() {
        next = (next + 1) & (lines.length - 1);
        return new Envelope(lines[next], path, 300L * next, host, "apache.access", created, "web", "apache-access",
                "combined", fileId);
    }

    @Benchmark
    public byte[] caravan() {
        return nextEnvelope().toJson();
    }

    /** Per line: a record's value of 64 envelopes, one per line, as the ship route writes it. */
    @Benchmark
    @org.openjdk.jmh.annotations.OperationsPerInvocation(RECORD_LINES)
    public byte[] caravanRecord() {
        nextRecord = (nextRecord + 1) % records.size();
        return Envelope.toJsonLines(records.get(nextRecord), 0, RECORD_LINES);
    }

    @Benchmark
    public byte[] jackson() throws IOException {
        return EnvelopeJsonTest.jackson(nextEnvelope(), out);
    }
}
