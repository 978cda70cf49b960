package caravan.index;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of the index side: DOWN while the Elasticsearch circuit is open or half-open (indexing
 * is paused), UP when closed. Not a liveness check: restarting the process would not bring
 * Elasticsearch back, and the paused consumer loses nothing by waiting.
 */
public final class ElasticsearchHealthCheck extends AbstractHealthCheck {
    public static final String ID = "caravan-elasticsearch";
    private final ElasticsearchBreaker breaker;
    private final ConsumerControl consumer;
    private final caravan.search.SearchCluster cluster;
    private final OffsetTracker offsets;

    public ElasticsearchHealthCheck(ElasticsearchBreaker breaker, ConsumerControl consumer,
                                    caravan.search.SearchCluster cluster, OffsetTracker offsets) {
        super("caravan", ID);
        this.breaker = breaker;
        this.consumer = consumer;
        this.cluster = cluster;
        this.offsets = offsets;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        var state = breaker.state();
        builder.detail("circuit.state", state.name());
        builder.detail("circuit.failure_rate", breaker.breaker().getMetrics().getFailureRate());
        builder.detail("kafka.consumer.paused", consumer.isPaused());
        // Records polled and not yet indexed or dead-lettered: what a crash now would have read again.
        builder.detail("index.records.unsettled", offsets.pending());
        if (breaker.openedAt() != null) {
            builder.detail("circuit.opened_at", breaker.openedAt().toString());
        }
        var engine = cluster.known();
        if (engine != null) {
            builder.detail("engine", engine.product().label()).detail("engine.version", engine.version());
        }
        var refusal = cluster.refusal();
        if (refusal != null) {
            builder.detail("refused", refusal.kind().label())
                    .message("indexing stopped, the search engine refuses Caravan's requests: " + refusal.getMessage())
                    .down();
            return;
        }
        switch (state) {
            case CLOSED, DISABLED, METRICS_ONLY -> builder.up();
            default -> builder.message("Elasticsearch circuit " + state + ": indexing paused until a probe succeeds")
                    .down();
        }
    }
}
