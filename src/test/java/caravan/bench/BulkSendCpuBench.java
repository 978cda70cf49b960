package caravan.bench;

import caravan.event.EcsJsonWriter;
import caravan.parse.Corpus;
import caravan.parse.Parsers;
import caravan.search.Bulk;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import org.apache.http.HttpHost;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NByteArrayEntity;
import org.elasticsearch.client.RestClient;

/**
 * What sending a bulk request costs the search client's I/O threads, in their CPU time, with
 * Caravan's body ({@link Bulk#send}) against the same bytes as one array (the client's own NIO
 * entity, which hands the socket the whole body at once): the reference, in the same rounds.
 * The server is the JDK's HTTP server on loopback, which reads the body and answers as the engine
 * does with Caravan's {@code filter_path}; its threads are not counted. Real documents: the corpus,
 * parsed and written as the index route writes them.
 *
 * <pre>java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) caravan.bench.BulkSendCpuBench [rounds] [docs per bulk] [ms between bulks]</pre>
 */
public final class BulkSendCpuBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int BULKS_PER_ROUND = 200;

    private BulkSendCpuBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int size = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        long pauseMs = args.length > 2 ? Long.parseLong(args[2]) : 0; // 0 back to back; 50 as at 5,000 lines/s
        List<Bulk.Create> docs = documents(size);
        byte[] whole = Bulk.body(docs);
        // the reference: the same bytes as one array, which the client hands the socket whole
        var oneArray = new NByteArrayEntity(whole, ContentType.create("application/x-ndjson", StandardCharsets.UTF_8));
        var serverThread = Executors.newSingleThreadExecutor();
        HttpServer server = sink(serverThread);
        try (RestClient client = RestClient.builder(new HttpHost("127.0.0.1", server.getAddress().getPort())).build()) {
            long[][] t = new long[4][rounds];
            for (int r = -3; r < rounds; r++) { // 3 warm-up rounds
                long[] caravan = round(() -> Bulk.send(client, docs).get(), pauseMs);
                long[] reference = round(() -> Bulk.send(client, oneArray).get(), pauseMs);
                if (r >= 0) {
                    t[0][r] = caravan[0];
                    t[1][r] = caravan[1];
                    t[2][r] = reference[0];
                    t[3][r] = reference[1];
                }
            }
            System.out.printf("%d documents per bulk, %,d bytes, %d ms between bulks; the I/O threads' CPU time per bulk, "
                    + "median of %d rounds of %d%n", size, whole.length, pauseMs, rounds, BULKS_PER_ROUND);
            print("Caravan's bulk body", t[0], t[1]);
            print("one array (reference)", t[2], t[3]);
        } finally {
            server.stop(0);
            serverThread.shutdown();
        }
    }

    private interface Send {
        void run() throws Exception;
    }

    /** The I/O threads' CPU time over one round of bulks, in ns per bulk: {all, in user mode}. */
    private static long[] round(Send send, long pauseMs) throws Exception {
        long[] t0 = ioThreadsCpu();
        for (int i = 0; i < BULKS_PER_ROUND; i++) {
            send.run();
            if (pauseMs > 0) {
                Thread.sleep(pauseMs);
            }
        }
        long[] t1 = ioThreadsCpu();
        return new long[] {(t1[0] - t0[0]) / BULKS_PER_ROUND, (t1[1] - t0[1]) / BULKS_PER_ROUND};
    }

    private static long[] ioThreadsCpu() {
        long[] sum = new long[2];
        for (Thread th : Thread.getAllStackTraces().keySet()) {
            if (th.getName().startsWith("elasticsearch-rest-client")) {
                sum[0] += Math.max(0, CPU.getThreadCpuTime(th.getId()));
                sum[1] += Math.max(0, CPU.getThreadUserTime(th.getId()));
            }
        }
        return sum;
    }

    private static void print(String name, long[] all, long[] user) {
        long[] s = all.clone();
        Arrays.sort(s);
        long[] u = user.clone();
        Arrays.sort(u);
        System.out.printf("%-24s %,9d ns (min %,d, max %,d), of which user mode %,d ns%n", name, s[s.length / 2], s[0],
                s[s.length - 1], u[u.length / 2]);
    }

    private static List<Bulk.Create> documents(int n) throws Exception {
        List<Bulk.Create> docs = new ArrayList<>();
        EcsJsonWriter writer = new EcsJsonWriter();
        Corpus.parsed(LocatedCorpus.lines(), Parsers.forFormat("combined"), (line, e) -> {
            if (docs.size() < n) {
                docs.add(new Bulk.Create("logs-access-default-2026.12.05", Integer.toHexString(docs.size()) + "a1b2c3d4e5f6",
                        writer.write(e)));
            }
        });
        return docs;
    }

    /** Reads each body and answers {@code {"errors":false,"items":[{"create":{"status":201}},...]}}. */
    private static HttpServer sink(java.util.concurrent.Executor thread) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true"); // else each answer waits for a delayed ACK (40 ms)
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(thread);
        server.createContext("/", ex -> {
            int lines = 0;
            try (InputStream in = ex.getRequestBody()) {
                byte[] buf = new byte[65536];
                for (int k; (k = in.read(buf)) > 0; ) {
                    for (int i = 0; i < k; i++) {
                        lines += buf[i] == '\n' ? 1 : 0;
                    }
                }
            }
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes("{\"errors\":false,\"items\":[".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < lines / 2; i++) {
                b.writeBytes((i == 0 ? "" : ",").getBytes(StandardCharsets.US_ASCII));
                b.writeBytes("{\"create\":{\"status\":201}}".getBytes(StandardCharsets.US_ASCII));
            }
            b.writeBytes("]}".getBytes(StandardCharsets.US_ASCII));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
            ex.sendResponseHeaders(200, b.size());
            try (OutputStream out = ex.getResponseBody()) {
                b.writeTo(out);
            }
        });
        server.start();
        return server;
    }
}
