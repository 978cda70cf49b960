package caravan.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A test-only HTTP proxy in front of Elasticsearch that answers a share of bulk items with 429
 * {@code es_rejected_execution_exception}, as an overloaded node does.
 *
 * <p>Two kinds, so both retry paths are exercised: a "lost" item is taken out of the request before
 * it is forwarded (Elasticsearch never sees it; the retry must index it), a "late" item is forwarded
 * and indexed, and only its result is replaced (the retry gets a 409, which must count as done).
 * Everything else passes through unchanged.
 */
public final class RejectingProxy implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding",
            "keep-alive", "host", "upgrade", "expect");

    private final HttpServer server;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String target;
    // Switchable while running (the soak turns 429s on for a minute).
    private volatile double lostShare;
    private volatile double lateShare;
    private final Random random;
    final AtomicLong bulkRequests = new AtomicLong();
    final AtomicLong items = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong late = new AtomicLong();

    public RejectingProxy(String target, double lostShare, double lateShare, long seed) throws IOException {
        this.target = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        this.lostShare = lostShare;
        this.lateShare = lateShare;
        this.random = new Random(seed);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Changes the shares of items answered 429 from the next bulk request on (0, 0: a plain proxy). */
    public void shares(double lost, double late) {
        this.lostShare = lost;
        this.lateShare = late;
    }

    /** Items answered 429 so far, both kinds. */
    public long rejected() {
        return lost.get() + late.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getRawPath();
            boolean bulk = path.endsWith("/_bulk") && ex.getRequestMethod().equals("POST");
            List<Boolean> lostItems = null;
            if (bulk) {
                bulkRequests.incrementAndGet();
                List<String> lines = lines(body);
                lostItems = new ArrayList<>();
                StringBuilder forwarded = new StringBuilder();
                for (int i = 0; i + 1 < lines.size(); i += 2) {
                    boolean drop = draw() < lostShare;
                    lostItems.add(drop);
                    if (!drop) {
                        forwarded.append(lines.get(i)).append('\n').append(lines.get(i + 1)).append('\n');
                    }
                }
                body = forwarded.toString().getBytes(StandardCharsets.UTF_8);
            }
            HttpResponse<byte[]> resp;
            if (bulk && body.length == 0) {
                resp = null; // every item lost: nothing to forward
            } else {
                resp = forward(ex, body);
            }
            byte[] out = resp == null ? null : resp.body();
            int status = resp == null ? 200 : resp.statusCode();
            if (bulk && status == 200) {
                out = rewrite(ex, lostItems, resp == null ? null : JSON.readTree(out));
            }
            if (resp != null) {
                resp.headers().map().forEach((k, vs) -> {
                    if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT)) && !k.startsWith(":")) {
                        vs.forEach(v -> ex.getResponseHeaders().add(k, v));
                    }
                });
            } else {
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.getResponseHeaders().add("X-Elastic-Product", "Elasticsearch");
            }
            ex.sendResponseHeaders(status, out == null || out.length == 0 ? -1 : out.length);
            if (out != null && out.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(out);
                }
            }
        } catch (Exception e) {
            ex.sendResponseHeaders(502, -1);
        }
    }

    private synchronized double draw() {
        return random.nextDouble();
    }

    private HttpResponse<byte[]> forward(HttpExchange ex, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI().toString()))
                .timeout(Duration.ofSeconds(60))
                .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        ex.getRequestHeaders().forEach((k, vs) -> {
            if (!HOP_BY_HOP.contains(k.toLowerCase(java.util.Locale.ROOT))) {
                vs.forEach(v -> b.header(k, v));
            }
        });
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Puts the lost items back as 429s, and turns a share of the real results into 429s too. */
    private byte[] rewrite(HttpExchange ex, List<Boolean> lostItems, JsonNode response) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.put("took", response == null ? 1 : response.path("took").asLong());
        ArrayNode resultItems = out.putArray("items");
        var real = response == null ? List.<JsonNode>of().iterator() : response.path("items").iterator();
        boolean errors = response != null && response.path("errors").asBoolean();
        for (boolean wasLost : lostItems) {
            items.incrementAndGet();
            if (wasLost) {
                lost.incrementAndGet();
                resultItems.add(rejected("lost"));
                errors = true;
                continue;
            }
            JsonNode item = real.next();
            if (draw() < lateShare) {
                late.incrementAndGet();
                ObjectNode r = rejected("late");
                ((ObjectNode) r.get("create")).put("_index", item.path("create").path("_index").asText())
                        .put("_id", item.path("create").path("_id").asText());
                resultItems.add(r);
                errors = true;
            } else {
                resultItems.add(item);
            }
        }
        out.put("errors", errors);
        return JSON.writeValueAsBytes(out);
    }

    private static ObjectNode rejected(String kind) {
        ObjectNode item = JSON.createObjectNode();
        ObjectNode create = item.putObject("create");
        create.put("_index", "unknown").put("status", 429);
        create.putObject("error").put("type", "es_rejected_execution_exception")
                .put("reason", "rejected execution of coordinating operation [test proxy: " + kind + "]");
        return item;
    }

    private static List<String> lines(byte[] ndjson) {
        List<String> out = new ArrayList<>();
        for (String l : new String(ndjson, StandardCharsets.UTF_8).split("\n")) {
            if (!l.isEmpty()) {
                out.add(l);
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
