package caravan.index;

import caravan.common.TimeArgs;
import caravan.search.SearchCluster;
import caravan.search.SearchEngine;
import java.io.IOException;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes Caravan's daily indices after {@code caravan.index.retention}, with what the cluster
 * offers: an ILM policy (Elasticsearch with x-pack), an ISM policy (OpenSearch with its index
 * management plug-in), or else {@link IndexPruner} on a timer inside the daemon. Both policies count
 * the age from the index's creation; the pruner by the day in its name.
 */
public final class IndexLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(IndexLifecycle.class);

    /** How retention is enforced on the current cluster. */
    public enum Mode { OFF, ILM, ISM, PRUNE }

    private final SearchCluster cluster;
    private final String policy;
    private final String retention;
    private final String pattern;
    private final int priority;
    private volatile Mode mode;

    /** @param retention e.g. {@code 30d}; blank keeps indices for ever */
    public IndexLifecycle(SearchCluster cluster, String policy, String retention, String pattern, int priority) {
        this.cluster = cluster;
        this.policy = policy;
        this.retention = retention == null ? "" : retention.trim();
        this.pattern = pattern;
        this.priority = priority;
        if (!this.retention.isEmpty()) {
            TimeArgs.age(this.retention); // a bad value fails at start-up, naming the key
        }
    }

    public String retention() {
        return retention;
    }

    public String policy() {
        return policy;
    }

    /** The mode found by the last {@link #install}, null before. */
    public Mode mode() {
        return mode;
    }

    /** Finds what the cluster offers and installs the policy there; returns the mode. */
    public Mode install(SearchEngine engine) throws IOException {
        Mode m;
        if (retention.isEmpty()) {
            m = Mode.OFF;
        } else if (engine.isOpenSearch() ? hasIsm() : hasIlm()) {
            m = engine.isOpenSearch() ? Mode.ISM : Mode.ILM;
            Request put = new Request("PUT", (m == Mode.ILM ? "/_ilm/policy/" : "/_plugins/_ism/policies/") + policy);
            put.setJsonEntity(m == Mode.ILM ? ilmPolicy() : ismPolicy());
            try {
                cluster.client().performRequest(put);
            } catch (ResponseException e) {
                // ISM refuses to overwrite a policy without its seq_no: the one there is Caravan's own.
                if (e.getResponse().getStatusLine().getStatusCode() != 409) {
                    throw e;
                }
            }
        } else {
            m = Mode.PRUNE;
        }
        if (m != mode) {
            LOG.info("Retention on {}: {}", engine, switch (m) {
                case OFF -> "none (caravan.index.retention is empty: indices are kept)";
                case ILM -> "ILM policy " + policy + " deletes indices " + retention + " after their creation";
                case ISM -> "ISM policy " + policy + " deletes indices " + retention + " after their creation";
                case PRUNE -> "no ILM or ISM here: the daemon deletes daily indices older than " + retention
                        + " by the day in their name (caravan.index.prune.interval-ms)";
            });
        }
        mode = m;
        return m;
    }

    String ilmPolicy() {
        return "{\"policy\":{\"_meta\":{\"managed_by\":\"caravan\"},\"phases\":{\"delete\":{\"min_age\":\"" + retention
                + "\",\"actions\":{\"delete\":{}}}}}}";
    }

    String ismPolicy() {
        return "{\"policy\":{\"description\":\"Caravan: delete daily indices " + retention + " after creation\","
                + "\"default_state\":\"hot\",\"states\":["
                + "{\"name\":\"hot\",\"actions\":[],\"transitions\":[{\"state_name\":\"delete\","
                + "\"conditions\":{\"min_index_age\":\"" + retention + "\"}}]},"
                + "{\"name\":\"delete\",\"actions\":[{\"delete\":{}}],\"transitions\":[]}],"
                + "\"ism_template\":[{\"index_patterns\":[\"" + pattern + "\"],\"priority\":" + priority + "}]}}";
    }

    private boolean hasIlm() throws IOException {
        return answers("/_ilm/status");
    }

    private boolean hasIsm() throws IOException {
        Request plugins = new Request("GET", "/_cat/plugins");
        plugins.addParameter("h", "component");
        return EntityUtils.toString(cluster.client().performRequest(plugins).getEntity())
                .contains("opensearch-index-management");
    }

    /** 200 on GET; false on the 400/404/405 of a cluster without that API. */
    private boolean answers(String path) throws IOException {
        try {
            return cluster.client().performRequest(new Request("GET", path)).getStatusLine().getStatusCode() == 200;
        } catch (ResponseException e) {
            int s = e.getResponse().getStatusLine().getStatusCode();
            if (s == 400 || s == 404 || s == 405 || s == 410) {
                return false;
            }
            throw e;
        }
    }
}
