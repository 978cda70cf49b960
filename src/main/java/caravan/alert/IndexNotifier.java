package caravan.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Keeps alerts in an index: one document per episode (id = key + first window), created when it
 * fires and overwritten when it resolves. {@code GET /api/alerts} and a new lease holder read it.
 */
public final class IndexNotifier implements Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final StatsStore store;

    public IndexNotifier(StatsStore store) {
        this.store = store;
    }

    @Override
    public String channel() {
        return "index";
    }

    @Override
    public void send(AlertEvent e) throws IOException {
        store.es().call("PUT", "/" + store.alertsIndex() + "/_doc/" + URLEncoder.encode(e.docId(), StandardCharsets.UTF_8)
                + "?refresh=true", JSON.writeValueAsString(e.toJson(JSON)));
    }
}
