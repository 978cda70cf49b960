package caravan.index;

import caravan.common.Backoff;
import caravan.common.SettingValues;
import java.util.function.Function;

/**
 * The {@code caravan.index.*} settings (and the Kafka ones the index route needs as values), read
 * once at start-up. The consumer's group and topic stay placeholders in its URI.
 */
public record IndexSettings(boolean enabled, String namespace, long throttlePerSecond, int batchRecords,
        long pollMs, long lingerMs, long idleFlushMs, long commitIntervalMs, long sessionTimeoutMs,
        long retryInitialMs, long retryMaxMs,
        float breakerFailureRate, int breakerWindow, int breakerMinCalls, long breakerOpenMs,
        int bulkInFlight, int bulkMaxDocs, long bulkMaxBytes, int bulkConcurrency, long maxDocumentBytes,
        int templateShards, int templateReplicas, String templateRefresh,
        String kafkaBrokers, String dlqTopic,
        String prefix, String templatePattern, int templatePriority, boolean dataStream, String retention,
        long pruneIntervalMs, long refusedRetryMs, TopicFormats topics, String trustedProxies) {

    public static IndexSettings from(Function<String, String> prop) {
        SettingValues s = new SettingValues(prop);
        return new IndexSettings(s.bool("caravan.index.enabled"), s.string("caravan.index.namespace"),
                s.number("caravan.index.throttle.per-second"), s.integer("caravan.index.batch.records"),
                s.positive("caravan.index.batch.poll-ms"), s.nonNegative("caravan.index.batch.linger-ms"),
                s.number("caravan.index.batch.idle-flush-ms"),
                s.number("caravan.index.commit-interval-ms"), s.number("caravan.index.session-timeout-ms"),
                s.number("caravan.index.retry.initial-ms"), s.number("caravan.index.retry.max-ms"),
                s.decimal("caravan.index.breaker.failure-rate"), s.integer("caravan.index.breaker.window"),
                s.integer("caravan.index.breaker.min-calls"), s.number("caravan.index.breaker.open-ms"),
                s.integer("caravan.index.bulk.in-flight"), s.integer("caravan.index.bulk.max-docs"),
                s.number("caravan.index.bulk.max-bytes"), s.integer("caravan.index.bulk.concurrency"),
                s.number("caravan.index.max-document-bytes"),
                s.integer("caravan.index.template.shards"), s.integer("caravan.index.template.replicas"),
                s.string("caravan.index.template.refresh"),
                s.string("caravan.kafka.brokers"), s.string("caravan.kafka.topic.dlq"),
                s.string("caravan.index.prefix"), s.string("caravan.index.template.pattern"),
                s.integer("caravan.index.template.priority"), s.bool("caravan.index.data-stream"),
                s.string("caravan.index.retention"), s.number("caravan.index.prune.interval-ms"),
                s.number("caravan.index.refused-retry-ms"),
                TopicFormats.parse(s.raw("caravan.index.topics")), s.raw("caravan.parse.trusted-proxies"));
    }

    /**
     * Records per poll. With a throttle, a batch waits on the consumer thread until it has a permit
     * per record: keep that under ~30 s, far from max.poll.interval.ms.
     */
    public int recordsPerPoll() {
        return throttlePerSecond > 0 ? (int) Math.max(1, Math.min(batchRecords, throttlePerSecond * 30)) : batchRecords;
    }

    /** The Kafka consumer's heartbeat: a third of the session timeout, at most 3 s. */
    public long heartbeatIntervalMs() {
        return Math.min(3000, sessionTimeoutMs / 3);
    }

    /** Between attempts at a batch Elasticsearch refused, and at a dead letter Kafka refused. */
    public Backoff retryBackoff() {
        return new Backoff(retryInitialMs, retryMaxMs);
    }
}
