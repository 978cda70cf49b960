package caravan.ops;

/**
 * Caravan's own JMX view, {@code caravan:type=PipelineControl}: the counters an operator looks at first
 * and a switch to stop reading files (for maintenance on Kafka) without stopping the indexer.
 */
public interface PipelineControlMBean {
    double getLogsProcessed();

    double getLogsFailed();

    double getElasticsearchErrors();

    double getRoutesReloadFailures();

    /** 0 closed, 1 open, 2 half open; -1 when this build has no circuit breaker. */
    double getCircuitState();

    boolean isShippingPaused();

    /** The ids of the routes that read files (their source is {@code tail:}). */
    String[] getTailRoutes();

    /** Suspends every tail route: files stay where they are, checkpoints are kept. */
    void pauseShipping() throws Exception;

    void resumeShipping() throws Exception;
}
