package caravan.enrich.crs.libinjection;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Linear time on adversarial inputs: each pattern, repeated to fill 16 KiB and then 8 times as
 * much, must take well under 8 x 8 times as long (what a quadratic path would take). Timings are
 * the best of several alternating runs after a warm-up round (without it the JIT's first compiles
 * show up as x20 to x80), in thread CPU time, and the bound is loose (x32; linear is x8, quadratic
 * x64), so machine load does not make it flaky; the ratios are printed.
 */
class LibInjectionLinearTimeTest {
    private static final int SMALL = 16 * 1024;
    private static final int FACTOR = 8;
    private static final double MAX_RATIO = 32;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /** Repeated units aimed at every scan that searches ahead: strings, comments, tags, entities. */
    private static final Map<String, String> PATTERNS = new LinkedHashMap<>();

    static {
        PATTERNS.put("quotes", "'");
        PATTERNS.put("escaped quotes", "\\'");
        PATTERNS.put("open comments", "/*");
        PATTERNS.put("nested comments", "/*/*/");
        PATTERNS.put("dollar tags", "$a$");
        PATTERNS.put("dollar tag prefix", "$aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa$ ");
        PATTERNS.put("q strings", "q'(");
        PATTERNS.put("arithmetic", "1+");
        PATTERNS.put("parens", "(");
        PATTERNS.put("backticks", "`");
        PATTERNS.put("words with dots", "select.");
        PATTERNS.put("unary chain", "-+!~");
        PATTERNS.put("html comments", "<!--\0-");
        PATTERNS.put("self closing", "<a /");
        PATTERNS.put("attributes", " a=");
        PATTERNS.put("entities", "<a href=\"&#0000000");
        PATTERNS.put("percent comments", "<%%");
        PATTERNS.put("cdata", "<![CDATA[]]");
        PATTERNS.put("tags", "<a<");
    }

    @Test
    void sqliIsLinear() {
        check("isSqli", LibInjection::isSqli);
    }

    @Test
    void xssIsLinear() {
        check("isXss", LibInjection::isXss);
    }

    private static void check(String name, Predicate<byte[]> detector) {
        for (Map.Entry<String, String> p : PATTERNS.entrySet()) {
            byte[] small = fill(p.getValue(), SMALL);
            byte[] large = fill(p.getValue(), SMALL * FACTOR);
            best(detector, small, large); // warm-up: the first round measures the JIT, not the code
            long[] t = best(detector, small, large);
            long tSmall = t[0];
            long tLarge = t[1];
            double ratio = (double) tLarge / Math.max(tSmall, 1);
            System.out.printf("%s %-18s %6d B: %8.3f ms  %7d B: %8.3f ms  ratio %5.1f%n", name, p.getKey(),
                    small.length, tSmall / 1e6, large.length, tLarge / 1e6, ratio);
            // Below a millisecond the clock and the JIT dominate; such inputs are linear enough.
            if (tLarge > 1_000_000) {
                assertThat(ratio).as("%s on %s: x%d input took x%.1f time", name, p.getKey(), FACTOR, ratio)
                        .isLessThan(MAX_RATIO);
            }
        }
    }

    private static byte[] fill(String unit, int size) {
        StringBuilder sb = new StringBuilder(size + unit.length());
        while (sb.length() < size) {
            sb.append(unit);
        }
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Best CPU times of the two inputs, run alternately so both see the same compiled code. CPU time
     * of this thread, not wall time, so other processes on a busy machine do not count.
     */
    private static long[] best(Predicate<byte[]> detector, byte[] small, byte[] large) {
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
        for (int i = 0; i < 21; i++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            detector.test(small);
            long t1 = CPU.getCurrentThreadCpuTime();
            detector.test(large);
            long t2 = CPU.getCurrentThreadCpuTime();
            best[0] = Math.min(best[0], t1 - t0);
            best[1] = Math.min(best[1], t2 - t1);
        }
        return best;
    }
}
