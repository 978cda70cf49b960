package caravan.ship.tail;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** {@code tail:<path or glob>?options}: follows log files like {@code tail -F}; see {@link TailEndpoint}. */
@Component("tail")
public class TailComponent extends DefaultComponent {
    private String host;

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

    /** The host.name every endpoint stamps unless it names its own; null or blank for the machine's name. */
    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }
}
