package caravan.ops;

import caravan.common.FileTrees;
import caravan.search.SearchClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code caravan demo}: a real Kafka and Elasticsearch on this machine, the bundled sample of real
 * Apache lines tailed from a file through Kafka into Elasticsearch, a summary, and a verdict.
 *
 * <p>The servers come from the devstack, which is not in the production jar: {@code ./caravan demo}
 * puts it on the class path.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start a local Kafka and Elasticsearch, ship the bundled sample through the pipeline, print a summary.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--data", paramLabel = "DIR",
            description = "Where servers and logs keep their data, kept afterwards (default: a temporary directory, removed "
                    + "at the end unless a line is missing).")
    Path data;

    @Option(names = "--lines", paramLabel = "N", description = "Ship only the first N lines of the sample (default: all).")
    int lines = Integer.MAX_VALUE;

    @Option(names = "--engine", paramLabel = "ENGINE",
            description = "Search engine: elasticsearch-9, elasticsearch-8 or opensearch-2 (default: Elasticsearch 9 "
                    + "where a JDK 21+ is installed, else Elasticsearch 8.19).")
    String engine;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Give up waiting for the documents after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds = 150;

    @Override
    public Integer call() throws Exception {
        long t0 = System.nanoTime();
        LocalStack.Factory factory = ServiceLoader.load(LocalStack.Factory.class).findFirst().orElse(null);
        if (factory == null) {
            System.err.println("The demo needs the devstack (a local Kafka and Elasticsearch), which the production jar "
                    + "does not carry. Run it from a source checkout with: ./caravan demo");
            return 2;
        }
        List<String> sample = sample(lines);
        Path dir = data != null ? data : Files.createTempDirectory("caravan-demo-");
        long indexed = -1;
        try {
            indexed = run(factory, dir, sample, t0);
        } finally {
            if (data == null) {
                cleanUp(dir, indexed == sample.size());
            }
        }
        System.out.println("indexed " + indexed + " of " + sample.size() + " lines");
        return indexed == sample.size() ? 0 : 1;
    }

    /** Starts the servers in {@code dir}, ships and indexes the sample, prints the summary; how many were indexed. */
    private long run(LocalStack.Factory factory, Path dir, List<String> sample, long t0) throws Exception {
        System.out.println("Starting Kafka and " + (engine == null ? "the search engine" : engine) + " (data in " + dir
                + (data == null ? ", removed at the end if every line is indexed" : "") + ") ...");
        long indexed;
        // The verdict is printed after the pipeline and the servers have stopped: their shutdown logs
        // (on stderr) come before it, so on a terminal it is the last line.
        try (LocalStack stack = factory.start(dir.resolve("servers"), engine, System.out::println)) {
            System.out.printf("Servers ready in %.1f s: Kafka %s, %s %s%n", secs(t0), stack.kafkaBootstrap(),
                    stack.engine(), stack.elasticsearchUrl());
            Path logs = Files.createDirectories(dir.resolve("logs"));
            Path routes = Files.createDirectories(dir.resolve("routes"));
            Path log = logs.resolve("access.log");
            Files.writeString(routes.resolve("demo-apache.yaml"), """
                    - route:
                        id: demo-apache
                        from:
                          uri: "tail:%s"
                          parameters: {format: combined, service: demo-web, startPosition: beginning}
                          steps:
                            - to: "direct:ship"
                    """.formatted(log));
            Properties p = new Properties();
            p.setProperty("caravan.kafka.brokers", stack.kafkaBootstrap());
            p.setProperty("caravan.elasticsearch.urls", stack.elasticsearchUrl());
            p.setProperty("caravan.routes.dir", routes.toString());
            p.setProperty("caravan.index.namespace", "demo");
            p.setProperty("caravan.index.template.replicas", "0");
            p.setProperty("caravan.index.template.refresh", "1s");
            // The demo shows the spine only: no analyser, no API server.
            p.setProperty("caravan.alert.enabled", "false");
            p.setProperty("caravan.api.enabled", "false");
            long shipStart = System.nanoTime();
            try (CaravanRuntime caravan = new CaravanRuntime(null, p).start()) {
                try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                    for (String l : sample) {
                        w.write(l);
                        w.write('\n');
                    }
                }
                System.out.printf("Appended %,d lines to %s; waiting for them in Elasticsearch ...%n", sample.size(), log);
                SearchClient es = new SearchClient(caravan.elasticsearch());
                indexed = waitForCount(() -> {
                    es.refresh("logs-*");
                    return es.count("logs-*");
                }, sample.size(), Duration.ofSeconds(timeoutSeconds));
                double took = secs(shipStart);
                summary(es, indexed, took);
                System.out.printf("Total time including server start: %.1f s%n", secs(t0));
            }
        }
        return indexed;
    }

    /**
     * A demo's own temporary directory (servers and logs, about 8 MB) goes when the demo succeeded; after
     * a failure it stays, with the servers' logs, and the path is printed.
     */
    private static void cleanUp(Path dir, boolean succeeded) {
        if (!succeeded) {
            System.out.println("Kept the servers' data and logs in " + dir + " to look into");
            return;
        }
        try {
            FileTrees.delete(dir);
        } catch (IOException | java.io.UncheckedIOException e) {
            System.err.println("Could not remove the demo's data in " + dir + ": " + e);
        }
    }

    /** How many documents are searchable now; one poll. */
    @FunctionalInterface
    interface Count {
        long now() throws IOException;
    }

    /**
     * Polls until {@code expected} documents are searchable or the time is up. A new index answers 503
     * (no shard available) for a moment after its first bulk, so a failed poll is tried again, and said
     * only if the time runs out.
     */
    static long waitForCount(Count count, long expected, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long seen = 0;
        long lastPrint = 0;
        IOException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                seen = count.now();
                lastError = null;
            } catch (IOException e) {
                lastError = e;
            }
            if (seen >= expected) {
                return seen;
            }
            if (System.nanoTime() - lastPrint > 5_000_000_000L) {
                System.out.printf("  ... %,d documents so far%n", seen);
                lastPrint = System.nanoTime();
            }
            Thread.sleep(500);
        }
        if (lastError != null) {
            System.out.println("The search engine's last answer was an error: " + lastError.getMessage());
        }
        return seen;
    }

    private static void summary(SearchClient es, long indexed, double seconds) throws IOException {
        System.out.println();
        System.out.printf("Indexed %,d documents in %.1f s (%,.0f docs/s end to end)%n", indexed, seconds, indexed / seconds);
        print("Documents by status code", es.terms("logs-*", "http.response.status_code", 20));
        print("Top 5 client IPs", es.terms("logs-*", "source.ip", 5));
        print("Top 5 paths", es.terms("logs-*", "url.path", 5));
        System.out.println();
    }

    private static void print(String title, Map<String, Long> buckets) {
        System.out.println();
        System.out.println(title + ":");
        buckets.forEach((k, v) -> System.out.printf("  %8d  %s%n", v, k));
    }

    private static double secs(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    static List<String> sample(int max) throws IOException {
        List<String> out = new ArrayList<>();
        try (InputStream in = DemoCommand.class.getResourceAsStream("/caravan/demo/apache_access_sample.log.gz")) {
            if (in == null) {
                throw new IOException("the bundled sample caravan/demo/apache_access_sample.log.gz is missing");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(in), StandardCharsets.UTF_8));
            String line;
            while (out.size() < max && (line = r.readLine()) != null) {
                out.add(line);
            }
        }
        return out;
    }
}
