package caravan.bench;

import caravan.enrich.Enricher;
import caravan.enrich.bot.BotEnricher;
import caravan.enrich.bot.BotRules;
import caravan.enrich.crs.CrsEnricher;
import caravan.enrich.crs.CrsSettings;
import caravan.enrich.geo.GeoIpEnricher;
import caravan.enrich.threat.ThreatEnricher;
import caravan.enrich.threat.ThreatRules;
import caravan.enrich.ua.UserAgentEnricher;
import caravan.event.EcsJsonWriter;
import caravan.event.LogEvent;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The index side of the pipeline, one event at a time on one thread: parse, GeoIP, user agent,
 * bots, threats and the JSON document, as a chain that grows stage by stage. The input is the real
 * 10,000-line corpus, cycled, so caches are as warm as in a real log (every user agent and address
 * seen before); warm-up passes fill them.
 *
 * <p>The lines are {@link LocatedCorpus}'s: every event carries the full {@code source.geo.*} set
 * (and {@code source.as.*} where the ASN test database has it).
 *
 * <pre>bench/enrich.sh</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class EnrichBenchmark {
    private static final Path GEOIP = Path.of("src/test/resources/geoip");

    private List<String> lines;
    private LineParser parser;
    private GeoIpEnricher geoip;
    private UserAgentEnricher userAgent;
    private BotEnricher bots;
    private ThreatEnricher threats;
    private CrsEnricher crs;
    /** The same CRS with a verdict cache of one value: what a request whose values were never seen costs. */
    private CrsEnricher crsUncached;
    private final EcsJsonWriter json = new EcsJsonWriter();
    private final EcsJsonWriterBefore jsonBefore = new EcsJsonWriterBefore();
    /** The corpus, parsed and enriched (GeoIP, user agent, bots, threats), for the JSON step alone. */
    private final List<LogEvent> enriched = new ArrayList<>();
    private int next;

    @Setup(Level.Trial)
    public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) throws IOException {
        String benchmark = params.getBenchmark();
        parser = Parsers.forFormat("combined");
        lines = new ArrayList<>();
        List<LogEvent> events = new ArrayList<>();
        for (String line : LocatedCorpus.lines()) {
            LogEvent e = new LogEvent();
            try {
                parser.parse(line, e);
            } catch (ParseException ex) {
                continue;
            }
            lines.add(line);
            events.add(e);
        }
        geoip = new GeoIpEnricher(GEOIP.resolve("GeoIP2-City-Test.mmdb").toString(),
                GEOIP.resolve("GeoLite2-ASN-Test.mmdb").toString(), "", 10_000, 60_000);
        userAgent = new UserAgentEnricher(10_000);
        bots = new BotEnricher(BotRules.load(null), 10_000);
        threats = new ThreatEnricher(ThreatRules.load(null));
        // OWASP CRS at paranoia level 1 with the corpus's documented exclusions, in place of threats.
        // CRS takes seconds to load: only for the benchmarks that run it.
        boolean withCrs = benchmark.contains("Crs");
        crs = withCrs ? CrsSettings.enricher(Map.of("caravan.enrich.crs.dir", "src/test/resources/crs/rules",
                "caravan.enrich.crs.exclusions-before", "crs-exclusions.conf")::get) : null;
        crsUncached = withCrs ? CrsSettings.enricher(Map.of("caravan.enrich.crs.dir", "src/test/resources/crs/rules",
                "caravan.enrich.crs.exclusions-before", "crs-exclusions.conf", "caravan.enrich.crs.cache-size", "1")::get) : null;
        List<Enricher> chain = crs != null ? List.of(geoip, userAgent, bots, threats, crs) : List.of(geoip, userAgent, bots, threats);
        for (LogEvent e : events) {
            chain.forEach(x -> x.enrich(e)); // fills the caches, as a log's history would
        }
        for (String line : benchmark.contains("jsonEnriched") ? lines : List.<String>of()) {
            LogEvent e = new LogEvent();
            try {
                parser.parse(line, e);
            } catch (ParseException ex) {
                continue;
            }
            List.of(geoip, userAgent, bots, threats).forEach(x -> x.enrich(e));
            enriched.add(e);
        }
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == lines.size() ? 0 : i + 1;
        return i;
    }

    // The chain grows one stage per benchmark, each on a fresh event as the index route has it, so
    // a stage's cost is the difference between two neighbours. (Timing stages alone on the stored,
    // already enriched events would mostly measure cache misses on 10,000 scattered events.)

    @Benchmark
    public LogEvent chain1Parse() throws ParseException {
        LogEvent e = new LogEvent();
        parser.parse(lines.get(nextIndex()), e);
        return e;
    }

    @Benchmark
    public LogEvent chain2GeoIp() throws ParseException {
        LogEvent e = chain1Parse();
        geoip.enrich(e);
        return e;
    }

    @Benchmark
    public LogEvent chain3UserAgent() throws ParseException {
        LogEvent e = chain2GeoIp();
        userAgent.enrich(e);
        return e;
    }

    @Benchmark
    public LogEvent chain4Bots() throws ParseException {
        LogEvent e = chain3UserAgent();
        bots.enrich(e);
        return e;
    }

    @Benchmark
    public LogEvent chain5Threats() throws ParseException {
        LogEvent e = chain4Bots();
        threats.enrich(e);
        return e;
    }

    /** The same chain with OWASP CRS PL1 (see README) in place of the built-in threat rules. */
    @Benchmark
    public LogEvent chain5Crs() throws ParseException {
        LogEvent e = chain4Bots();
        crs.enrich(e);
        return e;
    }

    /** CRS PL1 with no verdict kept from one request to the next: the prefilter and RE2/J on every value. */
    @Benchmark
    public LogEvent chain5CrsUncached() throws ParseException {
        LogEvent e = chain4Bots();
        crsUncached.enrich(e);
        return e;
    }

    /** The whole index-side chain with CRS PL1, to the document's bytes. */
    @Benchmark
    public byte[] chain6CrsJson() throws ParseException {
        return json.write(chain5Crs());
    }

    /** For comparison: the document of an event that was not enriched (fewer fields to write). */
    @Benchmark
    public byte[] parseAndJsonOnly() throws ParseException {
        return json.write(chain1Parse());
    }

    /** The whole index-side chain for one line, to the document's bytes: what one core spends per event. */
    @Benchmark
    public byte[] chain6Json() throws ParseException {
        return json.write(chain5Threats());
    }

    /** The same chain with the writer as it was before issue 14: the reference, in the same run. */
    @Benchmark
    public byte[] chain6JsonBefore() throws ParseException {
        return jsonBefore.write(chain5Threats());
    }

    /** The JSON step alone, on enriched events (the corpus, enriched once in set-up). */
    @Benchmark
    public byte[] jsonEnriched() {
        return json.write(enriched.get(nextIndex() % enriched.size()));
    }

    /** The JSON step alone with the writer as it was before issue 14. */
    @Benchmark
    public byte[] jsonEnrichedBefore() {
        return jsonBefore.write(enriched.get(nextIndex() % enriched.size()));
    }
}
