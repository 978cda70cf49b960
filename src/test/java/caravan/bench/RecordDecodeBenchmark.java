package caravan.bench;

import caravan.event.DocumentIds;
import caravan.event.Envelope;
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
 * What the indexer does with a record's bytes before parsing: the envelope read, the document id and
 * the content hash, over the corpus's lines as the shipper writes them. Its allocation per record is
 * the figure to watch ({@code -prof gc}, {@code gc.alloc.rate.norm}): the index's young collections
 * follow its allocation rate. {@code bench/jmh.sh RecordDecodeBenchmark -f 3 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RecordDecodeBenchmark {
    private byte[][] records;
    private int next;

    @Setup
    public void setUp() throws IOException {
        records = shippedRecords();
    }

    @Benchmark
    public int decode() {
        next = (next + 1) & (records.length - 1);
        return decode(records[next], DocumentIds.hasher());
    }

    /** The corpus's first 4,096 lines in the envelopes the shipper writes. */
    static byte[][] shippedRecords() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/resources/corpus/apache_combined_10k.log"));
        byte[][] out = new byte[4096][];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Envelope(lines.get(i), "/var/log/apache2/access.log", 300L * i, "web-1", "apache.access",
                    "2026-12-03T14:00:00.000Z", null, "apache-access", "combined", "dev:2049/ino:1234567").toJson();
        }
        return out;
    }

    /** The envelope, then the id and the content hash, as a render pass makes them; a sum to keep them alive. */
    static int decode(byte[] record, DocumentIds.Hasher h) {
        Envelope e = Envelope.fromJson(record);
        String id = h.of(e.host(), e.fileId(), e.offset());
        String content = h.content(e.message(), e.host(), e.path());
        return id.length() + content.length() + e.message().length();
    }
}
