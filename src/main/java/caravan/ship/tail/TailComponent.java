package caravan.ship.tail;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** {@code tail:<path or glob>?options}: follows log files like {@code tail -F}; see {@link TailEndpoint}. */
@Component("tail")
public class TailComponent extends DefaultComponent {
    private String host;
    /**
     * Endpoints that take a batch of lines (a List body), with the lines per second their route's
     * throttle lets through (0: none): a route that only sends there gets batches.
     */
    private final Map<String, Long> batchTargets = new ConcurrentHashMap<>();

    @Metadata(defaultValue = "500", description = "Lines per exchange for a route whose only step sends to an"
            + " endpoint that takes batches (see addBatchTarget), where the route does not set maxBatchLines; at most a"
            + " tenth of a second's permits when that endpoint's route is throttled.")
    private int batchLines = 500;

    @Metadata(label = "rotation", defaultValue = "60000", description = "The copyWindow of every endpoint that does not"
            + " set its own: milliseconds a file holding the same bytes as a file being read is held, in case it is a"
            + " copytruncate copy (caravan.ship.tail.copy-window-ms).")
    private long copyWindow = RotationOptions.DEFAULT_COPY_WINDOW_MS;

    @Metadata(label = "advanced", autowired = true, description = "Makes each route's tail meters; by default they go"
            + " to Micrometer's global registry. The application's wiring may provide another implementation.")
    private TailMetrics.Factory metricsFactory;

    public TailMetrics.Factory getMetricsFactory() {
        return metricsFactory;
    }

    public void setMetricsFactory(TailMetrics.Factory metricsFactory) {
        this.metricsFactory = metricsFactory;
    }

    /** The meters of one source. */
    TailMetrics metrics(String source) {
        return metricsFactory != null ? metricsFactory.create(source) : TailMetrics.micrometer(source);
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TailEndpoint endpoint = new TailEndpoint(uri, this, remaining);
        if (host != null && !host.isBlank()) {
            endpoint.setHost(host); // a route's own host= still wins, set just below
        }
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }

    public long getCopyWindow() {
        return copyWindow;
    }

    public void setCopyWindow(long copyWindow) {
        if (copyWindow < 0) {
            throw new IllegalArgumentException("copyWindow must not be negative, was " + copyWindow);
        }
        this.copyWindow = copyWindow;
    }

    /** The host.name every endpoint stamps unless it names its own; null or blank for the machine's name. */
    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    /**
     * Declares that {@code uri} takes a batch of lines (a List body), as the ship route's
     * {@code direct:ship} does: a route whose only step is a {@code to} this endpoint then gets
     * batches without opting in. A route with any other step (a filter, a setHeader) still gets
     * single lines, since those steps are written for a line.
     */
    public void addBatchTarget(String uri) {
        addBatchTarget(uri, 0);
    }

    /**
     * Declares a batch target whose route lets {@code throttlePerSecond} lines a second through
     * (0: no throttle). A throttled batch waits for all its permits at once, so the routes that
     * send there get batches of at most a tenth of a second's permits: the flow (and the tail lag
     * a scrape shows) stays smooth instead of moving in steps of batchLines.
     */
    public void addBatchTarget(String uri, long throttlePerSecond) {
        if (throttlePerSecond < 0) {
            throw new IllegalArgumentException("throttlePerSecond must not be negative, was " + throttlePerSecond);
        }
        batchTargets.put(normalise(uri), throttlePerSecond);
    }

    public int getBatchLines() {
        return batchLines;
    }

    public void setBatchLines(int batchLines) {
        if (batchLines <= 0) {
            throw new IllegalArgumentException("batchLines must be positive, was " + batchLines);
        }
        this.batchLines = batchLines;
    }

    /**
     * Lines per exchange for {@code endpoint} in route {@code routeId}: the endpoint's own
     * maxBatchLines if set; else batchLines when the route's only step sends to a batch target, at
     * most a tenth of a second's permits if that target is throttled; else 1.
     */
    int batchLinesFor(TailEndpoint endpoint, String routeId) {
        if (endpoint.getMaxBatchLines() != null) {
            return endpoint.getMaxBatchLines();
        }
        Long throttle = routeId == null ? null : batchTarget(endpoint.getCamelContext(), routeId);
        if (throttle == null) {
            return 1;
        }
        return throttle > 0 ? (int) Math.max(1, Math.min(batchLines, throttle / 10)) : batchLines;
    }

    /** The throttle of the batch target that is the route's only step, or null if it has another step. */
    private Long batchTarget(CamelContext ctx, String routeId) {
        org.apache.camel.model.Model model = ctx.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class);
        org.apache.camel.model.RouteDefinition route = model != null ? model.getRouteDefinition(routeId) : null;
        if (route == null || route.getOutputs().size() != 1) {
            return null;
        }
        return route.getOutputs().get(0) instanceof org.apache.camel.model.ToDefinition to && to.getUri() != null
                ? batchTargets.get(normalise(to.getUri())) : null;
    }

    private static String normalise(String uri) {
        return uri.trim().replaceFirst("^([a-z0-9-]+):/+", "$1:");
    }
}
