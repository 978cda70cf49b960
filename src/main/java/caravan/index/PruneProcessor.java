package caravan.index;

import caravan.common.TimeArgs;
import java.time.Instant;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's retention where the cluster has neither ILM nor ISM: on each tick of the
 * {@code index-prune} timer route, deletes the daily indices older than {@code caravan.index.retention}.
 * Does nothing while a lifecycle policy does the work, or before the engine was reached.
 */
public final class PruneProcessor implements Processor {
    private static final Logger LOG = LoggerFactory.getLogger(PruneProcessor.class);
    private final IndexTemplates templates;
    private final IndexLifecycle lifecycle;
    private final IndexPruner pruner;

    public PruneProcessor(IndexTemplates templates, IndexLifecycle lifecycle, IndexPruner pruner) {
        this.templates = templates;
        this.lifecycle = lifecycle;
        this.pruner = pruner;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        templates.ensureInstalled(); // finds out whether ILM or ISM is there
        if (lifecycle.mode() != IndexLifecycle.Mode.PRUNE) {
            return;
        }
        List<String> deleted = pruner.prune(Instant.now().minus(TimeArgs.age(lifecycle.retention())), false).expired();
        if (!deleted.isEmpty()) {
            LOG.info("Retention {}: deleted {} daily indices: {}", lifecycle.retention(), deleted.size(), deleted);
        }
        exchange.getMessage().setBody(deleted);
    }
}
