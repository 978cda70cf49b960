package caravan.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * The cache behind the user-agent, bot and GeoIP enrichers, on a hit (the steady state): Caffeine
 * against the floor any hand-rolled cache would stand on (an unbounded ConcurrentHashMap get) and
 * the simplest hand-rolled bounded LRU (an access-ordered LinkedHashMap under a lock). Keys are the
 * corpus's user agents as fresh strings, as a parser hands them over, so each lookup hashes anew.
 *
 * <pre>bench/enrich.sh jmh EnrichCacheBenchmark</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EnrichCacheBenchmark {
    private String[] keys;
    private char[][] chars;
    private int next;
    private Cache<String, Object> caffeine;
    private final Map<String, Object> chm = new ConcurrentHashMap<>();
    private final Map<String, Object> lru = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Object> eldest) {
            return size() > 10_000;
        }
    };

    @Setup
    public void setUp() throws IOException {
        List<String> uas = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/corpus/apache_combined_10k.log"), StandardCharsets.UTF_8)) {
            String[] q = line.split("\"");
            uas.add(q.length > 5 ? q[5] : "-");
        }
        keys = uas.toArray(new String[0]);
        chars = new char[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            chars[i] = keys[i].toCharArray();
        }
        caffeine = Caffeine.newBuilder().maximumSize(10_000).build();
        for (String k : keys) {
            caffeine.put(k, k);
            chm.put(k, k);
            lru.put(k, k);
        }
    }

    /** The next key as a new string built from characters, like a parser's: its hash is not computed yet. */
    private String key() {
        char[] k = chars[next];
        next = next + 1 == chars.length ? 0 : next + 1;
        return new String(k);
    }

    @Benchmark
    public Object caffeine() {
        return caffeine.get(key(), k -> k);
    }

    @Benchmark
    public Object concurrentHashMap() {
        return chm.get(key());
    }

    @Benchmark
    public Object lockedLinkedHashMapLru() {
        String k = key();
        synchronized (lru) {
            return lru.get(k);
        }
    }

    @Benchmark
    public Object keyOnly() {
        return key().hashCode(); // the part every cache pays: building and hashing the key
    }
}
