package caravan.ship.tail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The tailer's work per line before the route: the corpus's bytes cut into lines, each with its
 * anchor hash, and each line's text decoded, as the tailer hands them over. Per line; the shipper
 * runs it at C1 ({@code -jvmArgsAppend -XX:TieredStopAtLevel=1}).
 * {@code bench/jmh.sh LineSplitBenchmark -f 3}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LineSplitBenchmark {
    /** Lines in the first 1 MiB of the corpus. */
    static final int LINES = 4_521;
    private byte[] chunk;
    private int chars;

    @Setup
    public void setUp() throws IOException {
        byte[] corpus = Files.readAllBytes(Path.of("src/test/resources/corpus/apache_combined_10k.log"));
        chunk = java.util.Arrays.copyOf(corpus, 1 << 20);
        int lines = 0;
        for (int i = 0; i < chunk.length; i++) {
            lines += chunk[i] == '\n' ? 1 : 0;
        }
        if (lines != LINES) {
            throw new IllegalStateException("the corpus's first MiB has " + lines + " lines, not " + LINES);
        }
    }

    @Benchmark
    @OperationsPerInvocation(LINES)
    public int splitAndDecode() {
        LineSplitter splitter = new LineSplitter(1 << 20, 0);
        splitter.feed(chunk, chunk.length, line -> {
            chars += line.text().length();
            return true;
        });
        return chars;
    }
}
