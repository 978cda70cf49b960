package caravan.bench;

import caravan.enrich.Enricher;
import caravan.enrich.bot.BotEnricher;
import caravan.enrich.bot.BotRules;
import caravan.enrich.crs.CrsEnricher;
import caravan.enrich.crs.CrsSettings;
import caravan.enrich.geo.GeoIpEnricher;
import caravan.enrich.ua.UserAgentEnricher;
import caravan.event.EcsJsonWriter;
import caravan.event.LogEvent;
import caravan.parse.Corpus;
import caravan.parse.LineParser;
import caravan.parse.Parsers;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole index-side chain with CRS (parse, GeoIP, user agent, bots, CRS PL1 with
 * {@code crs-exclusions.conf}, JSON) and the CRS step alone, timed in CPU time of the measuring
 * thread (fair on a loaded machine, see {@link ChainCpuBench}). Three figures, medians of the rounds:
 * the whole chain with warm caches, CRS alone with warm verdicts, and CRS alone with a verdict cache
 * of one value (every value new: what a request never seen before costs; over the first
 * {@code cold-lines} lines only, as it is dear; 0 leaves it out).
 *
 * <p>Run it at the indexer's heap flags ({@code ./caravan}'s {@code JAVA_HEAP_INDEX}): under the JVM's default
 * G1 the figure swings between JVMs by a third on its own. Each round also times a {@link Yardstick}, so
 * that a figure moved by the machine can be told from one moved by the code.
 *
 * <pre>java -Xms64m -Xmx320m -XX:+UseParallelGC -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) caravan.bench.CrsChainCpuBench [rounds] [cold-lines]</pre>
 */
public final class CrsChainCpuBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private CrsChainCpuBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int coldLines = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        LineParser parser = Parsers.forFormat("combined");
        List<String> lines = LocatedCorpus.lines();
        Path geo = Path.of("src/test/resources/geoip");
        Map<String, String> settings = Map.of("caravan.enrich.crs.dir", "src/test/resources/crs/rules",
                "caravan.enrich.crs.exclusions-before", "crs-exclusions.conf");
        CrsEnricher crs = CrsSettings.enricher(settings::get);
        Map<String, String> coldSettings = new HashMap<>(settings);
        coldSettings.put("caravan.enrich.crs.cache-size", "1");
        CrsEnricher cold = CrsSettings.enricher(coldSettings::get);
        List<Enricher> chain = List.of(
                new GeoIpEnricher(geo.resolve("GeoIP2-City-Test.mmdb").toString(), geo.resolve("GeoLite2-ASN-Test.mmdb").toString(), "", 10_000, 60_000),
                new UserAgentEnricher(10_000), new BotEnricher(BotRules.load(null), 10_000), crs);
        EcsJsonWriter json = new EcsJsonWriter();
        ChainCpuBench.chain(lines, parser, chain, json::write); // waits for YAUAA once; fills every cache
        long[][] t = new long[3][rounds];
        Yardstick yardstick = new Yardstick();
        long[] yard = new long[rounds];
        long sink = 0;
        for (int r = -3; r < rounds; r++) { // 3 warm-up rounds
            long[] x = {ChainCpuBench.chain(lines, parser, chain, json::write), crsOnly(lines, parser, crs), coldLines == 0 ? 0 : crsOnly(lines.subList(0, coldLines), parser, cold)};
            if (r >= 0) {
                for (int k = 0; k < 3; k++) {
                    t[k][r] = x[k];
                }
                yard[r] = yardstick.round();
            }
            sink += x[0];
        }
        String[] names = {"whole chain with CRS PL1, warm", "CRS PL1 alone, warm verdicts", "CRS PL1 alone, every value new"};
        int[] counts = {lines.size(), lines.size(), coldLines};
        for (int k = 0; k < (coldLines == 0 ? 2 : 3); k++) {
            long[] s = t[k].clone();
            Arrays.sort(s);
            double ns = s[s.length / 2] / (double) counts[k];
            System.out.printf("%-34s %9.0f ns CPU/event  %,10.0f events/s per core  (min %.0f, max %.0f ns)%n", names[k], ns,
                    1e9 / ns, s[0] / (double) counts[k], s[s.length - 1] / (double) counts[k]);
        }
        System.out.println(Yardstick.report(yard, t[0]));
        System.out.println(sink == 42 ? "" : "rounds " + rounds + ", " + lines.size() + " lines, load " + Files.readString(Path.of("/proc/loadavg")).strip());
    }

    /** CRS over freshly parsed events; the parse is not timed. */
    private static long crsOnly(List<String> lines, LineParser parser, Enricher crs) {
        List<LogEvent> events = new ArrayList<>(lines.size());
        Corpus.parsed(lines, parser, (line, e) -> events.add(e));
        long t0 = CPU.getCurrentThreadCpuTime();
        for (LogEvent e : events) {
            crs.enrich(e);
        }
        return CPU.getCurrentThreadCpuTime() - t0;
    }
}
