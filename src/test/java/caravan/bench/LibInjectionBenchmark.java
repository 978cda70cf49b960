package caravan.bench;

import caravan.enrich.crs.libinjection.LibInjection;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * libinjection's two detectors on the values CRS hands them: the corpus's query-string argument
 * values (URL-decoded, as ModSecurity's argument parser leaves them) and, separately, the
 * User-Agent strings. One value per operation, cycling through all of them.
 *
 * <pre>bench/jmh.sh LibInjectionBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s -t 1</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LibInjectionBenchmark {
    private String[] args;
    private String[] userAgents;
    private int nextArg;
    private int nextUa;

    @Setup
    public void setUp() throws IOException {
        List<String> values = new ArrayList<>();
        List<String> uas = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/corpus/apache_combined_10k.log"),
                StandardCharsets.UTF_8)) {
            String[] q = line.split("\"");
            if (q.length > 5) {
                uas.add(q[5]);
            }
            String[] request = q.length > 1 ? q[1].split(" ") : new String[0];
            int mark = request.length > 1 ? request[1].indexOf('?') : -1;
            if (mark >= 0) {
                for (String pair : request[1].substring(mark + 1).split("&")) {
                    String value = pair.substring(pair.indexOf('=') + 1);
                    try {
                        values.add(URLDecoder.decode(value, StandardCharsets.UTF_8));
                    } catch (IllegalArgumentException e) {
                        values.add(value); // malformed escapes stay as they are
                    }
                }
            }
        }
        args = values.toArray(String[]::new);
        userAgents = uas.toArray(String[]::new);
    }

    private String arg() {
        String s = args[nextArg];
        nextArg = nextArg + 1 == args.length ? 0 : nextArg + 1;
        return s;
    }

    private String userAgent() {
        String s = userAgents[nextUa];
        nextUa = nextUa + 1 == userAgents.length ? 0 : nextUa + 1;
        return s;
    }

    @Benchmark
    public boolean isSqliQueryArg() {
        return LibInjection.isSqli(arg());
    }

    @Benchmark
    public boolean isXssQueryArg() {
        return LibInjection.isXss(arg());
    }

    @Benchmark
    public boolean isSqliUserAgent() {
        return LibInjection.isSqli(userAgent());
    }

    @Benchmark
    public boolean isXssUserAgent() {
        return LibInjection.isXss(userAgent());
    }
}
