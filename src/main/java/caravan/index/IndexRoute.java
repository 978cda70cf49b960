package caravan.index;

import caravan.common.Backoff;
import caravan.common.Throttling;
import caravan.enrich.Enricher;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.LoggingLevel;
import org.apache.camel.ShutdownRoute;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.model.RouteDefinition;

/**
 * {@code logs-raw} to Elasticsearch: a batching Kafka consumer with auto-commit off; each poll is
 * parsed into documents, bulk-indexed item by item, its failures dead-lettered, and only then are
 * its offsets committed.
 *
 * <pre>
 * index:        kafka (batch; PacedConsumer: a batch goes on once Kafka has no more)
 *               → pausable (resumes while the circuit is not open)
 *               → split: batches of envelopes (PollChunks; a record may hold several lines)
 *                 → [throttle] → parse → track (IndexBatches: the records' offsets) → [enrich…] → render
 *                 → submit (bulk sent ahead; the oldest batch in flight goes on) → index-finish
 * index-finish: loop while documents are unsettled:
 *                   circuitBreaker { bulk: settle each item }  onFallback { keep the batch }
 *                   wait: backoff, or until the open circuit turns half-open (consumer paused, still polling)
 *               → dead letters (acknowledged) → commit what the tracker says is settled, resume
 * unexpected exception in any step → dead letter channel: the whole batch to the DLQ, commit (in order)
 * </pre>
 *
 * <p>The guarantee: a record's offset is committed only after it is in Elasticsearch (created now,
 * or already there under its deterministic id) or acknowledged on the DLQ. Elasticsearch being
 * down never sends anything to the DLQ: the batch waits, consumption pauses.
 */
public class IndexRoute extends RouteBuilder {
    /** Exchange property holding the batch's Kafka record exchanges, for the DLQ and the commit. */
    public static final String RECORDS = "caravanRecords";
    /** Registry names, for tests and the ops side. */
    public static final String CIRCUIT = "caravanElasticsearchCircuit";
    public static final String CONSUMER = "caravanIndexConsumer";
    public static final String BATCHES = "caravanIndexBatches";
    static final String CLIENT_FACTORY = "caravanIndexClientFactory";
    static final String FAILED_BATCHES = "direct:caravan-index-failed";
    static final String FINISH = "direct:caravan-index-finish";

    private final IndexSettings settings;
    private final Supplier<List<Enricher>> enrichers;

    /**
     * @param enrichers builds the enrichers, in order; called only when indexing is enabled (a
     *                  ship-only process skips building them: YAUAA alone takes seconds)
     */
    public IndexRoute(IndexSettings settings, Supplier<List<Enricher>> enrichers) {
        this.settings = settings;
        this.enrichers = enrichers;
    }

    @Override
    public void configure() throws Exception {
        CamelContext ctx = getContext();
        IndexSettings s = settings;
        caravan.parse.ProxyChain.trust(s.trustedProxies());
        Backoff backoff = s.retryBackoff();
        ElasticsearchBreaker breaker = new ElasticsearchBreaker(s.breakerFailureRate(), s.breakerWindow(),
                s.breakerMinCalls(), s.breakerOpenMs());
        ConsumerControl consumer = new ConsumerControl();
        IndexBatches batches = new IndexBatches(s.bulkInFlight(), consumer, s.commitIntervalMs());
        var template = ctx.createProducerTemplate();
        java.util.function.Consumer<IndexBatch> finish = b -> template.send(FINISH, e -> e.getMessage().setBody(b));
        batches.attach(s.idleFlushMs(), finish);
        caravan.search.SearchCluster cluster = ctx.getRegistry().findSingleByType(caravan.search.SearchCluster.class);
        BulkWriter bulk = new BulkWriter(cluster, ctx.getRegistry().findSingleByType(IndexTemplates.class),
                s.bulkMaxDocs(), s.bulkMaxBytes(), s.bulkConcurrency());
        org.elasticsearch.client.RestClient es = ctx.getRegistry().lookupByNameAndType("caravanElasticsearchClient",
                org.elasticsearch.client.RestClient.class);
        if (es != null) {
            bulk.verifyConflicts(new ConflictCheck(new caravan.search.SearchClient(es)));
        }
        // Through the configured kafka component: the same brokers and security as the route's consumer.
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(template, s.dlqTopic(), backoff);
        ctx.getRegistry().bind(ElasticsearchBreaker.REGISTRY_NAME, breaker.breaker());
        ctx.getRegistry().bind(CIRCUIT, breaker);
        ctx.getRegistry().bind(CONSUMER, consumer);
        ctx.getRegistry().bind(BATCHES, batches);
        ctx.getRegistry().bind(CLIENT_FACTORY,
                new PacedConsumer.Factory(s.lingerMs(), () -> batches.idleWaitMs(s.pollMs())));
        ctx.getRegistry().bind(RebalanceHook.REGISTRY_NAME, new RebalanceHook(consumer, batches.offsets()));
        if (s.enabled()) {
            HealthCheckRegistry health = HealthCheckRegistry.get(ctx);
            if (health != null) {
                health.register(new ElasticsearchHealthCheck(breaker, consumer, cluster, batches.offsets()));
            }
        }

        // A step that throws sends its whole batch to the DLQ and commits it: the route goes on,
        // and a poison batch is handled once, not retried for ever.
        errorHandler(deadLetterChannel(FAILED_BATCHES).maximumRedeliveries(0).logExhausted(false)
                .onPrepareFailure(FailedBatchProcessor::rememberFailedStep));
        // A stop while a batch waits abandons it uncommitted: not a failure, nothing to dead-letter.
        onException(IndexingStopped.class, org.apache.camel.component.direct.DirectConsumerNotAvailableException.class)
                .handled(true)
                .log(LoggingLevel.INFO, "Index batch abandoned uncommitted: ${exception.message}");

        // logs-raw, and the other shippers' topics this indexer also reads (caravan.index.topics).
        StringBuilder topicList = new StringBuilder("{{caravan.kafka.topic.raw}}");
        s.topics().topics().forEach(t -> topicList.append(',').append(t));
        RouteDefinition route = from("kafka:" + topicList
                + "?groupId={{caravan.index.group}}"
                + "&batching=true&maxPollRecords=" + s.recordsPerPoll()
                // camel-kafka hands a batch on when a poll comes back empty (or full, or after max-wait-ms),
                // checked as the poll returns, before its records join. The paced consumer's poll after records
                // comes back empty at once when Kafka has no more (PacedConsumer), so a tail pass's records go on
                // then, not with the next pass's; timeout 0 makes any empty poll complete the batch.
                + "&pollTimeoutMs=0&kafkaClientFactory=#" + CLIENT_FACTORY
                // A batch that keeps getting records before each linger ends goes on after this.
                + "&batchingIntervalMs={{caravan.index.batch.max-wait-ms}}"
                // A poll holds what the fetches brought: bounded in bytes, records of many lines cannot fill the heap
                // (max.poll.records alone would let a poll hold 64 times as many lines as batch.records).
                + "&maxPartitionFetchBytes={{caravan.index.batch.partition-fetch-bytes}}"
                + "&autoCommitEnable=false&allowManualCommit=true&autoOffsetReset=earliest"
                + "&sessionTimeoutMs=" + s.sessionTimeoutMs() + "&heartbeatIntervalMs=" + s.heartbeatIntervalMs()
                + "&keyDeserializer=org.apache.kafka.common.serialization.StringDeserializer"
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer")
                .routeId("index")
                .autoStartup(s.enabled())
                // After the routes it hands batches to, and stopped before them.
                .startupOrder(903)
                // Hands the Kafka consumer to ConsumerControl, which pauses, polls and commits on it;
                // paused consumption resumes only while the circuit is not open.
                .pausable(consumer, o -> !breaker.isOpen()).id("consumer-control")
                .setProperty(RECORDS, body()).id("records");
        // A poll's envelopes in batches of at most caravan.index.batch.records: a record of the shipper's
        // holds many lines, so a poll holds many times max.poll.records of them. One batch at a time.
        var batch = route.split(method(new PollChunks(s.batchRecords()), "chunks")).streaming().id("batches")
                .setProperty(RECORDS, body()).id("batch-records");
        Throttling.perRecord(batch, s.throttlePerSecond(), "index");
        batch.process(new ParseBatchProcessor(s.topics())).id("parse")
                .process(e -> batches.track(e.getMessage().getBody(IndexBatch.class))).id("track");
        // Enrichment: one step per enabled enricher (enrich-geoip, enrich-useragent, enrich-bots, enrich-threats).
        if (s.enabled()) {
            for (Enricher enricher : enrichers.get()) {
                batch.process(new EnrichProcessor(enricher)).id("enrich-" + enricher.name());
            }
        }
        batch.process(new RenderProcessor(s.prefix(), s.namespace(), s.maxDocumentBytes(), s.dataStream()))
                .id("render")
                // Sends the bulk ahead; the batch goes on with the oldest batch once the window is full.
                .process(batches.submitStep(bulk, breaker)).id("submit")
                .to(FINISH).id("finish")
                .end();

        // Finishing a batch, oldest first: from the main route, or from the idle flush.
        from(FINISH).routeId("index-finish")
                .autoStartup(s.enabled()).startupOrder(901).shutdownRoute(ShutdownRoute.Defer)
                .loopDoWhile(e -> e.getMessage().getBody(IndexBatch.class).hasUnsettled()).id("bulk-loop")
                    .circuitBreaker().id("elasticsearch-circuit")
                        .resilience4jConfiguration().circuitBreaker(ElasticsearchBreaker.REGISTRY_NAME).end()
                        .process(bulk).id("bulk")
                    .onFallback()
                        .process(new BreakerFallback()).id("bulk-fallback")
                    .end()
                    .process(new RetryWait(breaker, consumer, backoff, s.refusedRetryMs())).id("retry-wait")
                .end()
                .process(new DeadLetterProcessor(deadLetters, consumer)).id("dead-letter")
                .process(e -> batches.finished(e.getMessage().getBody(IndexBatch.class))).id("commit");

        // Retention where the cluster has neither ILM nor ISM: the daemon prunes by the day in the name.
        IndexLifecycle lifecycle = ctx.getRegistry().findSingleByType(IndexLifecycle.class);
        if (s.enabled() && lifecycle != null && !lifecycle.retention().isEmpty()) {
            from("timer:caravan-index-prune?delay={{caravan.index.prune.interval-ms}}&period={{caravan.index.prune.interval-ms}}")
                    .routeId("index-prune")
                    .onException(Exception.class).handled(true)
                        .log(LoggingLevel.WARN, "Index retention: pruning failed, next try in {{caravan.index.prune.interval-ms}} ms: ${exception.message}")
                    .end()
                    .process(new PruneProcessor(ctx.getRegistry().findSingleByType(IndexTemplates.class), lifecycle,
                            new IndexPruner(new caravan.search.SearchClient(cluster.client()), s.prefix())))
                    .id("prune");
        }

        from(FAILED_BATCHES).routeId("index-failed")
                .autoStartup(s.enabled()).startupOrder(902).shutdownRoute(ShutdownRoute.Defer)
                .process(new FailedBatchProcessor(deadLetters, consumer, batches, finish)).id("dead-letter-batch");
    }
}
