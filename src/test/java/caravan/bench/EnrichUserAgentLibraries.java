package caravan.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import ua_parser.Client;
import ua_parser.Parser;

/**
 * The measurement behind the choice of user-agent library: YAUAA against uap-java on the real
 * corpus's user agents. One library per JVM, so start-up and heap are not muddied by the other:
 *
 * <pre>bench/enrich.sh ua-libs</pre>
 *
 * <p>Reports start-up (build plus first parse), heap retained after init, the cost of a parse
 * that misses the cache (first and warmed-up pass over the distinct user agents), and accuracy as
 * the number of corpus lines whose name, version, OS or device came out unknown. It also writes
 * every distinct user agent with both parsers' answers for a spot check by eye.
 */
public final class EnrichUserAgentLibraries {
    /** name, version, os name, os version, device; null when the library could not tell. */
    private record Result(String name, String version, String os, String osVersion, String device) {
    }

    private EnrichUserAgentLibraries() {
    }

    public static void main(String[] args) throws IOException {
        String library = args.length > 0 ? args[0] : "yauaa";
        Path corpus = Path.of(args.length > 1 ? args[1] : "src/test/resources/corpus/apache_combined_10k.log");
        List<String> uas = new ArrayList<>();
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            String[] q = line.split("\"");
            if (q.length > 5 && !q[5].equals("-")) {
                uas.add(q[5]);
            }
        }
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(uas));

        long heapBefore = usedHeap();
        long t0 = System.nanoTime();
        Function<String, Result> parser = library.equals("uap") ? uap() : yauaa();
        parser.apply(distinct.get(0));
        long startupMs = (System.nanoTime() - t0) / 1_000_000;
        long heapMb = (usedHeap() - heapBefore) / (1 << 20);

        Map<String, Result> results = new LinkedHashMap<>();
        long t1 = System.nanoTime();
        for (String ua : distinct) {
            results.put(ua, parser.apply(ua));
        }
        double firstPassUs = (System.nanoTime() - t1) / 1e3 / distinct.size();
        int rounds = 10;
        long t2 = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            for (String ua : distinct) {
                parser.apply(ua);
            }
        }
        double warmUs = (System.nanoTime() - t2) / 1e3 / distinct.size() / rounds;

        int[] unknownLines = new int[5];
        for (String ua : uas) {
            Result r = results.get(ua);
            String[] f = {r.name(), r.version(), r.os(), r.osVersion(), r.device()};
            for (int i = 0; i < f.length; i++) {
                if (f[i] == null) {
                    unknownLines[i]++;
                }
            }
        }
        System.out.printf("%s: start-up %d ms, heap after init %d MB, uncached parse %.0f us first pass / %.0f us warm "
                        + "(%d distinct user agents); unknown on %d lines: name %d, version %d, os %d, os version %d, device %d%n",
                library, startupMs, heapMb, firstPassUs, warmUs, distinct.size(), uas.size(),
                unknownLines[0], unknownLines[1], unknownLines[2], unknownLines[3], unknownLines[4]);
        Path out = Path.of("target", "ua-" + library + ".tsv");
        Files.createDirectories(out.getParent());
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
            for (Map.Entry<String, Result> e : results.entrySet()) {
                Result r = e.getValue();
                w.println(e.getKey() + "\t" + r.name() + "\t" + r.version() + "\t" + r.os() + "\t" + r.osVersion() + "\t" + r.device());
            }
        }
        System.out.println("answers per user agent: " + out);
    }

    private static final Set<String> YAUAA_UNKNOWN = Set.of("Unknown", "??", "Unknown ??", "Hacker", "");

    private static Function<String, Result> yauaa() {
        UserAgentAnalyzer uaa = UserAgentAnalyzer.newBuilder().hideMatcherLoadStats().withCache(0)
                .withFields(UserAgent.AGENT_NAME, UserAgent.AGENT_VERSION, UserAgent.OPERATING_SYSTEM_NAME,
                        UserAgent.OPERATING_SYSTEM_VERSION, UserAgent.DEVICE_NAME)
                .immediateInitialization().build();
        Function<String, String> k = v -> v == null || YAUAA_UNKNOWN.contains(v) ? null : v;
        return ua -> {
            UserAgent r = uaa.parse(ua);
            return new Result(k.apply(r.getValue(UserAgent.AGENT_NAME)), k.apply(r.getValue(UserAgent.AGENT_VERSION)),
                    k.apply(r.getValue(UserAgent.OPERATING_SYSTEM_NAME)), k.apply(r.getValue(UserAgent.OPERATING_SYSTEM_VERSION)),
                    k.apply(r.getValue(UserAgent.DEVICE_NAME)));
        };
    }

    private static Function<String, Result> uap() {
        Parser p = new Parser();
        // uap-java says "Other" when it does not know, for desktops' device always.
        Function<String, String> k = v -> v == null || v.equals("Other") ? null : v;
        return ua -> {
            Client c = p.parse(ua);
            return new Result(k.apply(c.userAgent.family), version(c.userAgent.major, c.userAgent.minor, c.userAgent.patch),
                    k.apply(c.os.family), version(c.os.major, c.os.minor, c.os.patch), k.apply(c.device.family));
        };
    }

    private static String version(String major, String minor, String patch) {
        if (major == null) {
            return null;
        }
        return major + (minor == null ? "" : "." + minor + (patch == null ? "" : "." + patch));
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
