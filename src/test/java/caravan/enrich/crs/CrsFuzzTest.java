package caravan.enrich.crs;

import caravan.event.LogEvent;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fuzz tests of the CRS engine, its transformations and the rule-file reader. The contract: the
 * engine and every transformation throw nothing and stay bounded (output at most a fixed multiple
 * of the input); the reader throws nothing but {@link CrsException}. In the default test run the
 * seeds under {@code CrsFuzzTestInputs/<method>/} are replayed; {@code bench/fuzz.sh
 * CrsFuzzTest#engine} fuzzes.
 *
 * <p>Linear time: no input may take more CPU time than a fixed allowance plus a per-byte one (far
 * above what the code needs, far below what a quadratic path takes on Jazzer's inputs of some
 * kilobytes); a slower input fails as a finding. The slowest input per byte is printed at exit.
 */
class CrsFuzzTest {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final long ALLOWANCE_NANOS = 250_000_000L;
    private static final long PER_BYTE_NANOS = 200_000L;
    private static final long[] SLOWEST = {0, 0}; // nanoseconds per byte, input length
    /** The first calls run cold (interpreter, class loading, lazy regex compiles): not timed. */
    private static final int WARM_UP = 2_000;
    private static int calls;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.err.printf(
                "CrsFuzzTest: slowest input %.1f us per byte (%d bytes)%n", SLOWEST[0] / 1e3, SLOWEST[1])));
    }

    /** Runs {@code work} and fails if it took longer than linear in {@code bytes}. */
    private static void linear(String what, int bytes, Runnable work) {
        long t0 = CPU.getCurrentThreadCpuTime() + RegexCompiler.cpuNanos(); // compiles run on their own thread
        work.run();
        long took = CPU.getCurrentThreadCpuTime() + RegexCompiler.cpuNanos() - t0;
        synchronized (SLOWEST) {
            if (++calls <= WARM_UP) {
                return;
            }
            if (took / Math.max(bytes, 1) > SLOWEST[0]) {
                SLOWEST[0] = took / Math.max(bytes, 1);
                SLOWEST[1] = bytes;
            }
        }
        if (took > ALLOWANCE_NANOS + PER_BYTE_NANOS * bytes) {
            throw new IllegalStateException(what + " took " + took / 1_000_000 + " ms CPU on " + bytes + " bytes");
        }
    }
    static final List<String> TRANSFORMS = List.of("urlDecodeUni", "urlDecode", "htmlEntityDecode", "jsDecode",
            "cssDecode", "escapeSeqDecode", "utf8toUnicode", "cmdLine", "compressWhitespace", "removeWhitespace",
            "removeNulls", "replaceComments", "removeComments", "removeCommentsChar", "normalizePath",
            "normalizePathWin", "base64Decode", "hexDecode", "sqlHexDecode", "lowercase", "trim", "length");
    private static CrsEngine engine;

    private static synchronized CrsEngine engine() {
        if (engine == null) {
            engine = new CrsEngine(CrsFixtures.rules(), 4, 5);
        }
        return engine;
    }

    @FuzzTest
    void engine(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        String[] parts = Arrays.copyOf(text.split("\n", 3), 3);
        LogEvent e = new LogEvent();
        e.method = "GET";
        e.urlOriginal = parts[0];
        e.httpVersion = "1.1";
        e.userAgent = parts[1];
        e.referrer = parts[2];
        CrsEngine crs = engine(); // loading the rules is not the input's cost
        linear("engine", data.length, () -> crs.evaluate(RequestData.of(e, CrsFixtures.HEADERS)));
    }

    @FuzzTest
    void transformations(byte[] data) {
        String bytes = new String(data, StandardCharsets.ISO_8859_1);
        for (String name : TRANSFORMS) {
            linear(name, data.length, () -> {
                String out = Transforms.named(name.toLowerCase(Locale.ROOT)).apply(bytes);
                if (out.length() > 8 * bytes.length() + 16) {
                    throw new IllegalStateException(name + " grew " + bytes.length() + " to " + out.length());
                }
            });
        }
        linear("RegexLiterals", data.length, () -> RegexLiterals.required(bytes));
    }

    @FuzzTest
    void ruleReader(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        linear("ruleReader", data.length, () -> read(text, Path.of("fuzz.conf")));
    }

    /** Reads {@code text} as the rule file {@code file}: no exception but {@link CrsException}. */
    static void read(String text, Path file) {
        try {
            RuleLoader loader = CrsTestDefaults.loader(Detectors.NONE, java.util.Set.of("user-agent"));
            for (SecLangReader.Directive d : SecLangReader.parse(file, text.lines().toList())) {
                if (d.name().equalsIgnoreCase("SecRule") || d.name().equalsIgnoreCase("SecAction")) {
                    loader.add(d);
                }
            }
        } catch (CrsException expected) {
            // the documented failure: file, line and reason
        }
    }
}
