package caravan.ship.tail;

import java.util.Map;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** {@code tail:<path or glob>?options}: follows log files like {@code tail -F}; see {@link TailEndpoint}. */
@Component("tail")
public class TailComponent extends DefaultComponent {

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        TailEndpoint endpoint = new TailEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }
}
