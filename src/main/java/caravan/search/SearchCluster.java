package caravan.search;

import caravan.common.Metrics;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search engine Caravan talks to: its client, the engine and version that {@code GET /} gave
 * (asked again after every outage, as the cluster may have been upgraded or replaced meanwhile), and
 * the refusal, if any, that keeps indexing from going on until an operator acts.
 */
public final class SearchCluster {
    private static final Logger LOG = LoggerFactory.getLogger(SearchCluster.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient client;
    private volatile SearchEngine engine;
    private volatile SearchEngine lastLogged;
    private volatile SearchRefused refusal;

    public SearchCluster(RestClient client) {
        this.client = client;
    }

    public RestClient client() {
        return client;
    }

    /** The engine, asking {@code GET /} if it is not known since the last outage. */
    public SearchEngine engine() throws IOException {
        SearchEngine e = engine;
        return e != null ? e : detect();
    }

    /** The engine as last seen, or null. */
    public SearchEngine known() {
        return engine;
    }

    /**
     * Asks {@code GET /}; logs the engine when it is new or changed.
     *
     * @throws SearchRefused for credentials, TLS, an unknown product or an unsupported version
     * @throws IOException   when the engine does not answer (an outage)
     */
    public SearchEngine detect() throws IOException {
        SearchEngine found;
        try {
            Response r = client.performRequest(new Request("GET", "/"));
            found = SearchEngine.fromRoot(JSON.readTree(r.getEntity().getContent()), r.getHeader("X-Elastic-Product"));
        } catch (IOException | RuntimeException e) {
            SearchRefused refused = Refusals.classify(e, "GET /");
            if (refused != null) {
                throw refused(refused);
            }
            throw e;
        }
        String problem = found.unsupported();
        if (problem != null) {
            throw refused(new SearchRefused(SearchRefused.Kind.UNSUPPORTED, problem));
        }
        boolean reconnected = engine == null; // at start-up, or the first answer after an outage
        if (!found.equals(engine)) {
            engine = found; // a new instance only when it changed: IndexTemplates installs once per instance
        }
        if (reconnected || !found.equals(lastLogged)) {
            lastLogged = found;
            LOG.info("Search engine: {} at {}", found, client.getNodes());
        }
        return engine;
    }

    /** After an outage: the next {@link #engine()} asks again. */
    public void forget() {
        engine = null;
    }

    /**
     * Records a refusal: readiness goes down with its message, the metric counts it, and the log says
     * it once (not on every retry of the same refusal). Returns it, for {@code throw}.
     */
    public SearchRefused refused(SearchRefused r) {
        Metrics.elasticsearchErrors("refused_" + r.kind().label()).increment();
        SearchRefused before = refusal;
        refusal = r;
        if (before == null || !before.getMessage().equals(r.getMessage())) {
            LOG.error("Indexing stopped until this is fixed (not an outage, nothing is dead-lettered): {}", r.getMessage());
        }
        return r;
    }

    /** A request went through: the refusal, if any, is over. */
    public void accepted() {
        SearchRefused before = refusal;
        if (before != null) {
            refusal = null;
            LOG.info("The search engine accepts Caravan's requests again ({} resolved)", before.kind().label());
        }
    }

    /** The refusal in force, or null. */
    public SearchRefused refusal() {
        return refusal;
    }
}
