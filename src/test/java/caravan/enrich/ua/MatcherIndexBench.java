package caravan.enrich.ua;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * What {@link MatcherIndex} saves and costs: the heap freshly built matchers retain before and after
 * compaction, and the jar's (compacted) snapshot as read (used heap after full collections), and the
 * CPU time of parsing every distinct corpus user agent with the snapshot's matchers and with built
 * ones (no cache: every parse walks the index), alternating round by round. Here rather than in
 * {@code caravan.bench} because both classes are the package's own.
 *
 * <pre>java -Xms64m -Xmx320m -XX:+UseParallelGC -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) caravan.enrich.ua.MatcherIndexBench [rounds]</pre>
 */
public final class MatcherIndexBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private MatcherIndexBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        List<String> agents = new ArrayList<>(AnalyzerSnapshotTest.corpusAgents());
        long base = usedAfterGc();
        UserAgentAnalyzer weighed = AnalyzerSnapshot.build();
        long built = usedAfterGc() - base;
        int sets = MatcherIndex.compact(weighed);
        long after = usedAfterGc() - base;
        weighed = null; // let go before the snapshot is weighed
        usedAfterGc();
        long t0 = System.nanoTime();
        UserAgentAnalyzer fromJar = AnalyzerSnapshot.fromJar().orElseThrow();
        long readMs = (System.nanoTime() - t0) / 1_000_000;
        long read = usedAfterGc() - base;
        System.out.printf("retained heap: built %.1f MB, compacted %.1f MB (%d sets replaced), the jar's snapshot %.1f MB (read in %d ms)%n",
                built / 1e6, after / 1e6, sets, read / 1e6, readMs);
        UserAgentAnalyzer asBuilt = AnalyzerSnapshot.build();
        long[][] t = new long[2][rounds];
        for (int r = -3; r < rounds; r++) { // 3 warm-up rounds
            long a = parse(asBuilt, agents);
            long b = parse(fromJar, agents);
            if (r >= 0) {
                t[0][r] = a;
                t[1][r] = b;
            }
        }
        String[] names = {"built", "compacted"};
        for (int k = 0; k < 2; k++) {
            long[] s = t[k].clone();
            Arrays.sort(s);
            System.out.printf("uncached parse, %-9s %8.1f µs CPU per user agent (min %.1f, max %.1f)%n", names[k],
                    s[rounds / 2] / 1e3 / agents.size(), s[0] / 1e3 / agents.size(), s[rounds - 1] / 1e3 / agents.size());
        }
        System.out.printf("rounds %d, %d distinct user agents, load %s%n", rounds, agents.size(),
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
    }

    private static long parse(UserAgentAnalyzer analyzer, List<String> agents) {
        long t0 = CPU.getCurrentThreadCpuTime();
        int n = 0;
        for (String ua : agents) {
            n += analyzer.parse(ua).getValue("AgentName").length();
        }
        return CPU.getCurrentThreadCpuTime() - t0 + (n == 0 ? 1 : 0);
    }

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
