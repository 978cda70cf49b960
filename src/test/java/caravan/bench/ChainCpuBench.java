package caravan.bench;

import caravan.enrich.Enricher;
import caravan.enrich.bot.BotEnricher;
import caravan.enrich.bot.BotRules;
import caravan.enrich.geo.GeoIpEnricher;
import caravan.enrich.threat.ThreatEnricher;
import caravan.enrich.threat.ThreatRules;
import caravan.enrich.ua.UserAgentEnricher;
import caravan.event.EcsJsonWriter;
import caravan.event.LogEvent;
import caravan.parse.Corpus;
import caravan.parse.LineParser;
import caravan.parse.Parsers;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The index chain (parse, GeoIP, user agent, bots, threats, JSON; no CRS) and the JSON step alone,
 * timed in <em>CPU time of the measuring thread</em>, not wall time: on a machine shared with other
 * builds (load far above the core count) JMH's wall-clock figures mostly measure waiting for a core,
 * while a thread's CPU time still says what the work costs. The writer of today and the one before
 * issue 14 alternate round by round in the same JVM, so their ratio is fair; medians are printed.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) caravan.bench.ChainCpuBench [rounds]</pre>
 * (the lines of {@link LocatedCorpus}, as in EnrichBenchmark).
 */
public final class ChainCpuBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private ChainCpuBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        LineParser parser = Parsers.forFormat("combined");
        List<String> lines = LocatedCorpus.lines();
        Path geo = Path.of("src/test/resources/geoip");
        List<Enricher> chain = List.of(
                new GeoIpEnricher(geo.resolve("GeoIP2-City-Test.mmdb").toString(), geo.resolve("GeoLite2-ASN-Test.mmdb").toString(), "", 10_000, 60_000),
                new UserAgentEnricher(10_000), new BotEnricher(BotRules.load(null), 10_000), new ThreatEnricher(ThreatRules.load(null)));
        List<LogEvent> enriched = new ArrayList<>();
        Corpus.parsed(lines, parser, (line, e) -> {
            chain.forEach(x -> x.enrich(e)); // waits for YAUAA once; fills every cache
            enriched.add(e);
        });
        EcsJsonWriter now = new EcsJsonWriter();
        EcsJsonWriterBefore before = new EcsJsonWriterBefore();
        Function<LogEvent, byte[]> nowW = now::write;
        Function<LogEvent, byte[]> beforeW = before::write;
        long[][] t = new long[4][rounds];
        long sink = 0;
        for (int r = -5; r < rounds; r++) { // 5 warm-up rounds
            long[] x = {json(enriched, nowW), json(enriched, beforeW), chain(lines, parser, chain, nowW), chain(lines, parser, chain, beforeW)};
            if (r >= 0) {
                for (int k = 0; k < 4; k++) {
                    t[k][r] = x[k];
                }
            }
            sink += x[0];
        }
        String[] names = {"JSON step, enriched event in cache (now)", "JSON step, enriched event in cache (before)",
            "whole chain without CRS (now)", "whole chain without CRS (before)"};
        for (int k = 0; k < 4; k++) {
            long[] s = t[k].clone();
            Arrays.sort(s);
            double ns = s[s.length / 2] / (double) (k < 2 ? enriched.size() / 64 * 256 : lines.size());
            System.out.printf("%-40s %8.0f ns CPU/event  %,10.0f events/s per core  (min %.0f, max %.0f ns)%n", names[k], ns,
                    1e9 / ns, s[0] / (double) (k < 2 ? enriched.size() / 64 * 256 : lines.size()),
                    s[s.length - 1] / (double) (k < 2 ? enriched.size() / 64 * 256 : lines.size()));
        }
        System.out.println(sink == 42 ? "" : "rounds " + rounds + ", " + enriched.size() + " events");
    }

    /**
     * The writer over the events 64 at a time, each group written as often as the chain writes a
     * fresh event: the events are in the cache, as the one the chain has just enriched is. (Once
     * over 10,000 stored events measures mostly cache misses on their scattered strings.)
     */
    private static long json(List<LogEvent> events, Function<LogEvent, byte[]> writer) {
        long t0 = CPU.getCurrentThreadCpuTime();
        int bytes = 0;
        for (int from = 0; from + 64 <= events.size(); from += 64) {
            List<LogEvent> group = events.subList(from, from + 64);
            for (int rep = 0; rep < 4; rep++) {
                for (LogEvent e : group) {
                    bytes += writer.apply(e).length;
                }
            }
        }
        return CPU.getCurrentThreadCpuTime() - t0 + (bytes == 0 ? 1 : 0);
    }

    /** Parse, enrich and write every line; the thread CPU time it took. */
    static long chain(List<String> lines, LineParser parser, List<Enricher> chain, Function<LogEvent, byte[]> writer) {
        long t0 = CPU.getCurrentThreadCpuTime();
        int[] bytes = {0};
        Corpus.parsed(lines, parser, (line, e) -> {
            for (Enricher x : chain) {
                x.enrich(e);
            }
            bytes[0] += writer.apply(e).length;
        });
        return CPU.getCurrentThreadCpuTime() - t0 + (bytes[0] == 0 ? 1 : 0);
    }
}
