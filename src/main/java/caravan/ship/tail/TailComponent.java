package caravan.ship.tail;

import java.util.Map;
import java.util.Set;
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
    /** Endpoints that take a batch of lines (a List body): a route that only sends there gets batches. */
    private final Set<String> batchTargets = ConcurrentHashMap.newKeySet();

    @Metadata(defaultValue = "500", description = "Lines per exchange for a route whose only step sends to an"
            + " endpoint that takes batches (see addBatchTarget), where the route does not set maxBatchLines.")
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
        batchTargets.add(normalise(uri));
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

    /** Lines per exchange for a route that does not set maxBatchLines: batches where its steps take them, else 1. */
    int batchLinesFor(CamelContext ctx, String routeId) {
        if (routeId == null || batchTargets.isEmpty()) {
            return 1;
        }
        org.apache.camel.model.Model model = ctx.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class);
        org.apache.camel.model.RouteDefinition route = model != null ? model.getRouteDefinition(routeId) : null;
        if (route == null || route.getOutputs().size() != 1) {
            return 1;
        }
        return route.getOutputs().get(0) instanceof org.apache.camel.model.ToDefinition to
                && to.getUri() != null && batchTargets.contains(normalise(to.getUri())) ? batchLines : 1;
    }

    private static String normalise(String uri) {
        return uri.trim().replaceFirst("^([a-z0-9-]+):/+", "$1:");
    }
}
