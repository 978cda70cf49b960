package caravan.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * {@code /observe/metrics}, {@code /observe/health}, {@code /observe/health/live} and
 * {@code /observe/health/ready} of a ship-only process, on the JDK's own HTTP server.
 *
 * <p>The indexer keeps Camel's management server (Vert.x, which its API needs anyway). The shipper,
 * the agent on every web server, serves only these four paths, and Vert.x with Netty are about 1,100
 * classes of its ~8,200 (BENCHMARKS.md "Memory"). Same paths, same status codes (503 when a check
 * is DOWN; readiness counts the readiness checks, liveness the liveness ones), same JSON fields
 * ({@code status}, {@code checks[].name/status/message/error-message}) and the same Prometheus
 * scrape, in OpenMetrics when the scraper asks for it.
 */
final class ObserveServer extends ServiceSupport {
    static final String BASE = "/observe";
    private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String OPENMETRICS_FORMAT = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final CamelContext ctx;
    private final PrometheusMeterRegistry metrics;
    private final InetSocketAddress bind;
    private HttpServer server;
    private ExecutorService workers;

    ObserveServer(CamelContext ctx, PrometheusMeterRegistry metrics, String host, int port) {
        this.ctx = ctx;
        this.metrics = metrics;
        this.bind = new InetSocketAddress(host, port);
    }

    /** host:port the socket is bound to (the port it got when 0 was asked for). */
    String address() {
        InetSocketAddress a = server != null ? server.getAddress() : bind;
        return bind.getHostString() + ":" + a.getPort();
    }

    @Override
    protected void doStart() {
        try {
            server = HttpServer.create(bind, 16);
        } catch (IOException e) {
            // Say which setting to change: the process must not run on without its health and metrics.
            throw new IllegalArgumentException("cannot serve /observe on " + bind.getHostString() + ":" + bind.getPort()
                    + " (" + e.getMessage() + "): set caravan.http.port (and caravan.http.host) to a free address,"
                    + " or caravan.http.enabled=false", e);
        }
        // Health checks may wait for a broker: not on the accepting thread.
        workers = ctx.getExecutorServiceManager().newFixedThreadPool(this, "observe-http", 2);
        server.setExecutor(workers);
        server.createContext(BASE + "/", this::handle);
        server.start();
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
        if (workers != null) {
            ctx.getExecutorServiceManager().shutdownNow(workers);
            workers = null;
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String method = ex.getRequestMethod();
            if (!"GET".equals(method) && !"HEAD".equals(method)) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                send(ex, 405, "text/plain", "method not allowed\n");
                return;
            }
            switch (ex.getRequestURI().getPath()) {
                case BASE + "/metrics" -> scrape(ex);
                case BASE + "/health" -> health(ex, Probe.ALL);
                case BASE + "/health/live" -> health(ex, Probe.LIVE);
                case BASE + "/health/ready" -> health(ex, Probe.READY);
                default -> send(ex, 404, "text/plain", "not found\n");
            }
        }
    }

    private void scrape(HttpExchange ex) throws IOException {
        String accept = ex.getRequestHeaders().getFirst("Accept");
        String type = accept != null && accept.contains("application/openmetrics-text") ? OPENMETRICS_FORMAT : TEXT_FORMAT;
        send(ex, 200, type, metrics.scrape(type));
    }

    enum Probe { ALL, LIVE, READY }

    private void health(HttpExchange ex, Probe probe) throws IOException {
        String level = HealthCheckRegistry.get(ctx).getExposureLevel();
        Collection<HealthCheck.Result> results = switch (probe) {
            case ALL -> HealthCheckHelper.invoke(ctx, level);
            case LIVE -> HealthCheckHelper.invokeLiveness(ctx, level);
            case READY -> HealthCheckHelper.invokeReadiness(ctx, level);
        };
        boolean up = HealthCheckHelper.isResultsUp(results, probe == Probe.READY);
        send(ex, up ? 200 : 503, "application/json", healthJson(results, up, level));
    }

    /** Camel's health report: every check at exposure level full, only the DOWN ones at default, none at oneline. */
    static String healthJson(Collection<HealthCheck.Result> results, boolean up, String level) {
        JsonObject root = new JsonObject();
        root.put("status", up ? "UP" : "DOWN");
        if (!"oneline".equals(level)) {
            JsonArray checks = new JsonArray();
            for (HealthCheck.Result r : results) {
                if (!"full".equals(level) && r.getState() != HealthCheck.State.DOWN) {
                    continue;
                }
                JsonObject c = new JsonObject();
                c.put("name", r.getCheck().getId());
                c.put("status", r.getState().name());
                if ("full".equals(level)) {
                    r.getError().ifPresent(e -> c.put("error-message", causes(e)));
                }
                r.getMessage().ifPresent(m -> c.put("message", m));
                checks.add(c);
            }
            if (!checks.isEmpty()) {
                root.put("checks", checks);
            }
        }
        return root.toJson() + "\n";
    }

    /** The error's message and those of its causes, as one line. */
    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c.getMessage() != null) {
                sb.append("; Caused by: ").append(c.getClass().getName()).append(": ").append(c.getMessage());
            }
        }
        return sb.toString();
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }
}
