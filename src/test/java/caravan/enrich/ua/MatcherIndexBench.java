package caravan.enrich.ua;

import caravan.parse.Corpus;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * What {@link MatcherIndex} saves and costs: the heap the matchers retain as read from the jar and
 * after compaction (used heap after full collections, the same analyzer before and after), and the
 * CPU time of parsing every distinct corpus user agent with compacted matchers and with another copy
 * as read (no cache: every parse walks the index), alternating round by round. Here rather than in
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
        Set<String> distinct = new LinkedHashSet<>();
        Corpus.parsed("combined", (line, e) -> {
            if (e.userAgent != null) {
                distinct.add(e.userAgent);
            }
        });
        List<String> agents = new ArrayList<>(distinct);
        long base = usedAfterGc();
        UserAgentAnalyzer compacted = AnalyzerSnapshot.fromJar().orElseThrow();
        long read = usedAfterGc() - base;
        int sets = MatcherIndex.compact(compacted);
        long after = usedAfterGc() - base;
        System.out.printf("retained heap: as read %.1f MB, compacted %.1f MB (%d sets replaced)%n",
                read / 1e6, after / 1e6, sets);
        UserAgentAnalyzer asRead = AnalyzerSnapshot.fromJar().orElseThrow();
        long[][] t = new long[2][rounds];
        for (int r = -3; r < rounds; r++) { // 3 warm-up rounds
            long a = parse(asRead, agents);
            long b = parse(compacted, agents);
            if (r >= 0) {
                t[0][r] = a;
                t[1][r] = b;
            }
        }
        String[] names = {"as read", "compacted"};
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
