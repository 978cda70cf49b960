package caravan.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A cross-check of {@link EnrichBenchmark} on a busy machine: the same growing chain, timed in CPU time
 * of the benchmark thread rather than wall-clock time, so time spent waiting for a core that other
 * processes hold is not counted. Each stage runs {@code passes} times over the corpus after the
 * same number of warm-up passes; the best pass is reported.
 *
 * <pre>bench/enrich.sh cpu</pre>
 */
public final class EnrichCpuTime {
    private EnrichCpuTime() {
    }

    public static void main(String[] args) throws Exception {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        EnrichBenchmark b = new EnrichBenchmark();
        b.setUp();
        int events = b.corpusSize();
        Map<String, Callable<Object>> stages = new LinkedHashMap<>();
        stages.put("+parse", b::chain1Parse);
        stages.put("+geoip", b::chain2GeoIp);
        stages.put("+userAgent", b::chain3UserAgent);
        stages.put("+bots", b::chain4Bots);
        stages.put("+threats", b::chain5Threats);
        stages.put("+json", b::chain6Json);
        stages.put("parse+json", b::parseAndJsonOnly);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Object sink = null;
        for (Map.Entry<String, Callable<Object>> s : stages.entrySet()) {
            long best = Long.MAX_VALUE;
            for (int pass = 0; pass < 2 * passes; pass++) {
                long cpu = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < events; i++) {
                    sink = s.getValue().call();
                }
                if (pass >= passes) {
                    best = Math.min(best, threads.getCurrentThreadCpuTime() - cpu);
                }
            }
            System.out.printf("%-12s %8.0f ns/event CPU%n", s.getKey(), (double) best / events);
        }
        if (sink == null) {
            System.out.println();
        }
    }
}
