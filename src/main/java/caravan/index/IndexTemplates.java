package caravan.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import caravan.search.SearchCluster;
import caravan.search.SearchEngine;
import org.elasticsearch.client.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the composable index template for {@code logs-*}: explicit ECS mappings and
 * {@code best_compression}, with shards, replicas and refresh interval from settings.
 *
 * <p>Priority 200 puts it above Elasticsearch's built-in {@code logs-*-*} template (priority 100),
 * which would otherwise turn Caravan's daily indices into data streams on clusters with x-pack.
 * Installation happens before the first bulk request rather than at start-up, so Caravan can
 * start while Elasticsearch is still down, and again after each outage (the engine is asked anew then:
 * the cluster behind the URL may have been replaced or upgraded).
 */
public final class IndexTemplates {
    private static final Logger LOG = LoggerFactory.getLogger(IndexTemplates.class);
    public static final String NAME = "caravan-logs";

    private final SearchCluster cluster;
    private final String body;
    private volatile SearchEngine installedFor;

    public IndexTemplates(SearchCluster cluster, int shards, int replicas, String refreshInterval) {
        this.cluster = cluster;
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

    /**
     * Installs the template once per engine seen (so again after an outage); throws while the engine
     * cannot be reached, and {@link caravan.search.SearchRefused} when it refuses.
     */
    public void ensureInstalled() throws IOException {
        SearchEngine engine = cluster.engine();
        if (installedFor == engine) {
            return;
        }
        synchronized (this) {
            if (installedFor == engine) {
                return;
            }
            Request put = new Request("PUT", "/_index_template/" + NAME);
            put.setEntity(new NStringEntity(body, ContentType.APPLICATION_JSON));
            cluster.client().performRequest(put);
            installedFor = engine;
            LOG.info("Index template {} installed for logs-* on {}", NAME, engine);
        }
    }

    public String body() {
        return body;
    }
}
