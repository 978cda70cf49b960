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
 * Installs the composable index template for Caravan's daily indices only: explicit ECS mappings and
 * {@code best_compression}, with shards, replicas and refresh interval from settings.
 *
 * <p>On a shared cluster it must neither capture other shippers' data nor collide with their
 * templates: the default pattern {@code logs-*-*-*} matches Caravan's {@code logs-<dataset>-<namespace>-<day>}
 * and never a Fleet-style {@code logs-<dataset>-<namespace>} data stream (Fleet forbids dashes in both
 * parts), and priority 210 is above Elasticsearch's built-in {@code logs} template (100, which would turn
 * the indices into data streams) and differs from Fleet's integration templates (200; equal priorities
 * on overlapping patterns are refused).
 * Installation happens before the first bulk request rather than at start-up, so Caravan can
 * start while Elasticsearch is still down, and again after each outage (the engine is asked anew then:
 * the cluster behind the URL may have been replaced or upgraded).
 */
public final class IndexTemplates {
    private static final Logger LOG = LoggerFactory.getLogger(IndexTemplates.class);
    public static final String NAME = "caravan-logs";

    private final SearchCluster cluster;
    private final String body;
    private final String pattern;
    private final IndexLifecycle lifecycle;
    private volatile SearchEngine installedFor;

    /** The default pattern and priority, no retention (tests, benchmarks). */
    public IndexTemplates(SearchCluster cluster, int shards, int replicas, String refreshInterval) {
        this(cluster, shards, replicas, refreshInterval, DEFAULT_PATTERN, DEFAULT_PRIORITY,
                new IndexLifecycle(cluster, NAME, "", DEFAULT_PATTERN, DEFAULT_PRIORITY));
    }

    /**
     * @param pattern  the indices the template applies to ({@code caravan.index.template.pattern})
     * @param priority its priority ({@code caravan.index.template.priority}); Elasticsearch refuses two
     *                 templates with overlapping patterns at the same priority
     */
    public IndexTemplates(SearchCluster cluster, int shards, int replicas, String refreshInterval, String pattern,
                          int priority, IndexLifecycle lifecycle) {
        this(cluster, shards, replicas, refreshInterval, pattern, priority, lifecycle, false);
    }

    /** @param dataStream the template makes data streams ({@code caravan.index.data-stream}, opt-in) */
    public IndexTemplates(SearchCluster cluster, int shards, int replicas, String refreshInterval, String pattern,
                          int priority, IndexLifecycle lifecycle, boolean dataStream) {
        this.cluster = cluster;
        this.pattern = pattern;
        this.lifecycle = lifecycle;
        String rendered = render(shards, replicas, refreshInterval);
        if (dataStream) {
            rendered = rendered.replaceFirst("\\{", "{\n  \"data_stream\": {},");
        }
        this.body = rendered.replace("\"index_patterns\": [\"logs-*-*-*\"]",
                "\"index_patterns\": [\"" + pattern + "\"]").replace("\"priority\": 210", "\"priority\": " + priority);
    }

    /** Matches {@code logs-<dataset>-<namespace>-<day>}, never a Fleet-style {@code logs-<dataset>-<namespace>} data stream. */
    public static final String DEFAULT_PATTERN = "logs-*-*-*";
    /** Above Elasticsearch's built-in logs template (100) and Fleet's integration templates (200). */
    public static final int DEFAULT_PRIORITY = 210;

    public static String render(int shards, int replicas, String refreshInterval) {
        try (InputStream in = IndexTemplates.class.getResourceAsStream("/caravan/logs-template.json")) {
            if (in == null) {
                throw new IllegalStateException("caravan/logs-template.json is missing from the jar");
            }
            String template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (refreshInterval == null || refreshInterval.isBlank()) {
                // Unset: the engine's own default (1 s, and no refresh while a shard is search-idle).
                template = template.replaceFirst("\\s*\"index\\.refresh_interval\": \"\\$\\{refresh}\",", "");
            }
            return template
                    .replace("\"${shards}\"", Integer.toString(shards))
                    .replace("\"${replicas}\"", Integer.toString(replicas))
                    .replace("${refresh}", refreshInterval == null ? "" : refreshInterval);
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
            IndexLifecycle.Mode mode = lifecycle.install(engine);
            String withPolicy = mode != IndexLifecycle.Mode.ILM ? body : body.replace("\"settings\": {",
                    "\"settings\": {\n      \"index.lifecycle.name\": \"" + lifecycle.policy() + "\",");
            Request put = new Request("PUT", "/_index_template/" + NAME);
            put.setEntity(new NStringEntity(withPolicy, ContentType.APPLICATION_JSON));
            cluster.client().performRequest(put);
            installedFor = engine;
            LOG.info("Index template {} installed for {} on {}", NAME, pattern, engine);
        }
    }

    public String body() {
        return body;
    }
}
