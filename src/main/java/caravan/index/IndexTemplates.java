package caravan.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the composable index template for {@code logs-*}: explicit ECS mappings and
 * {@code best_compression}, with shards, replicas and refresh interval from settings.
 *
 * <p>Priority 200 puts it above Elasticsearch's built-in {@code logs-*-*} template (priority 100),
 * which would otherwise turn Caravan's daily indices into data streams on clusters with x-pack.
 * Installation happens before the first bulk request rather than at start-up, so Caravan can
 * start while Elasticsearch is still down.
 */
public final class IndexTemplates {
    private static final Logger LOG = LoggerFactory.getLogger(IndexTemplates.class);
    public static final String NAME = "caravan-logs";

    private final RestClient client;
    private final String body;
    private volatile boolean installed;

    public IndexTemplates(RestClient client, int shards, int replicas, String refreshInterval) {
        this.client = client;
        this.body = render(shards, replicas, refreshInterval);
    }

    public static String render(int shards, int replicas, String refreshInterval) {
        try (InputStream in = IndexTemplates.class.getResourceAsStream("/caravan/logs-template.json")) {
            if (in == null) {
                throw new IllegalStateException("caravan/logs-template.json is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\"${shards}\"", Integer.toString(shards))
                    .replace("\"${replicas}\"", Integer.toString(replicas))
                    .replace("${refresh}", refreshInterval);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the index template", e);
        }
    }

    /** Installs the template once per process; throws while Elasticsearch cannot be reached. */
    public void ensureInstalled() throws IOException {
        if (installed) {
            return;
        }
        synchronized (this) {
            if (installed) {
                return;
            }
            Request put = new Request("PUT", "/_index_template/" + NAME);
            put.setEntity(new NStringEntity(body, ContentType.APPLICATION_JSON));
            client.performRequest(put);
            installed = true;
            LOG.info("Index template {} installed for logs-*", NAME);
        }
    }

    public String body() {
        return body;
    }
}
