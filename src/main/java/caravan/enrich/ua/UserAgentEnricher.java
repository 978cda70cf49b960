package caravan.enrich.ua;

import caravan.enrich.Enricher;
import caravan.enrich.LastLookup;
import caravan.event.LogEvent;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses {@code user_agent.original} into {@code user_agent.name}, {@code .version},
 * {@code .os.name}, {@code .os.version}, {@code .os.full} and {@code .device.name}, with YAUAA
 * (chosen over uap-java for accuracy at equal warm speed: see BENCHMARKS.md, "Enrichment").
 *
 * <p>YAUAA is thorough and therefore slow on a user agent it has not seen (around a millisecond),
 * and its matchers take some 40 MB of heap ({@link MatcherIndex}) and seconds to build. Logs repeat the same few
 * thousand user agents, so a bounded cache of the extracted fields makes the steady-state cost a
 * hash lookup. The matchers are read once per process from the snapshot the build keeps in the jar
 * ({@link AnalyzerSnapshot}), on a thread of their own, so start-up goes on meanwhile and only the
 * first user agent to parse waits for them. Fields YAUAA cannot determine ({@code Unknown}, {@code ??}, and {@code Hacker} for
 * user agents that are attacks) are left out rather than indexed as values.
 */
public final class UserAgentEnricher implements Enricher {
    private static final Logger LOG = LoggerFactory.getLogger(UserAgentEnricher.class);
    static final String[] FIELDS = {
        UserAgent.AGENT_NAME, UserAgent.AGENT_VERSION, UserAgent.OPERATING_SYSTEM_NAME,
        UserAgent.OPERATING_SYSTEM_VERSION, UserAgent.DEVICE_NAME,
    };
    private static final Set<String> NOT_KNOWN = Set.of(UserAgent.UNKNOWN_VALUE, UserAgent.UNKNOWN_VERSION,
            UserAgent.UNKNOWN_NAME_VERSION, "Hacker", "");

    /** What one user agent gives, each null when not known. */
    record Parsed(String name, String version, String osName, String osVersion, String osFull, String device) {
    }

    private static final Parsed NOTHING = new Parsed(null, null, null, null, null, null);

    private final LastLookup<Parsed> last;

    /**
     * YAUAA's matchers, made once per process: they depend on nothing configurable but the fixed
     * field list, and an enricher rebuilt on a reload need not build them again.
     */
    private static final class Shared {
        static final CompletableFuture<UserAgentAnalyzer> ANALYZER = startBuilding();

        private static CompletableFuture<UserAgentAnalyzer> startBuilding() {
            CompletableFuture<UserAgentAnalyzer> analyzer = new CompletableFuture<>();
            Thread builder = new Thread(() -> {
                try {
                    long start = System.nanoTime();
                    Optional<UserAgentAnalyzer> snapshot = AnalyzerSnapshot.fromJar();
                    analyzer.complete(snapshot.orElseGet(AnalyzerSnapshot::buildCompacted));
                    LOG.info("User-agent analyzer ready in {} ms ({})", (System.nanoTime() - start) / 1_000_000,
                            snapshot.isPresent() ? "read from the jar's snapshot" : "built");
                } catch (RuntimeException | Error e) {
                    // Said once here; events then pass without user_agent.* fields rather than failing one by one.
                    LOG.error("User-agent parsing is off: YAUAA could not be initialised", e);
                    analyzer.completeExceptionally(e);
                }
            }, "caravan-yauaa-init");
            builder.setDaemon(true);
            builder.start();
            return analyzer;
        }
    }

    public UserAgentEnricher(long cacheSize) {
        this.last = LastLookup.cached(cacheSize, this::parse);
        prepare();
    }

    /**
     * Starts building the matchers on a thread of their own, once per process. {@code caravan run}
     * calls it as soon as the ship half runs, before the index half's context is built, because the
     * first document waits for the matchers (BENCHMARKS.md "Start-up").
     */
    public static void prepare() {
        Shared.ANALYZER.isDone(); // loading the holder class starts the build
    }

    @Override
    public void enrich(LogEvent e) {
        String ua = e.userAgent;
        if (ua == null || ua.isBlank() || ua.equals("-")) {
            return;
        }
        Parsed p = last.get(ua);
        e.put("user_agent.name", p.name())
                .put("user_agent.version", p.version())
                .put("user_agent.os.name", p.osName())
                .put("user_agent.os.version", p.osVersion())
                .put("user_agent.os.full", p.osFull())
                .put("user_agent.device.name", p.device());
    }

    Parsed parse(String ua) {
        UserAgentAnalyzer uaa;
        try {
            uaa = Shared.ANALYZER.join();
        } catch (CompletionException e) {
            return NOTHING;
        }
        UserAgent r;
        synchronized (uaa) { // YAUAA's analyzer reuses internal state per parse
            r = uaa.parse(ua);
        }
        String os = known(r.getValue(UserAgent.OPERATING_SYSTEM_NAME));
        String osVersion = known(r.getValue(UserAgent.OPERATING_SYSTEM_VERSION));
        String osFull = os == null ? null : osVersion == null ? os : os + " " + osVersion;
        return new Parsed(known(r.getValue(UserAgent.AGENT_NAME)), known(r.getValue(UserAgent.AGENT_VERSION)),
                os, osVersion, osFull, known(r.getValue(UserAgent.DEVICE_NAME)));
    }

    private static String known(String v) {
        return v == null || NOT_KNOWN.contains(v) ? null : v;
    }

    @Override
    public String name() {
        return "useragent";
    }
}
