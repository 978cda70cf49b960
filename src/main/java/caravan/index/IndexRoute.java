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
 * index:        kafka (batch) → pausable → [throttle] → parse → [enrich…] → render
 *                 → submit (bulk sent ahead; the oldest batch in flight goes on) → index-finish
 * index-finish: loop while documents are unsettled:
 *                   circuitBreaker { bulk: settle each item }  onFallback { keep the batch }
 *                   wait: backoff, or until the open circuit turns half-open (consumer paused, still polling)
 *               → dead letters (acknowledged) → commit offsets, resume
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
        Backoff backoff = s.retryBackoff();
        ElasticsearchBreaker breaker = new ElasticsearchBreaker(s.breakerFailureRate(), s.breakerWindow(),
                s.breakerMinCalls(), s.breakerOpenMs());
        ConsumerControl consumer = new ConsumerControl();
        InFlightWindow window = new InFlightWindow(s.bulkInFlight());
        var template = ctx.createProducerTemplate();
        java.util.function.Consumer<IndexBatch> finish = b -> template.send(FINISH, e -> e.getMessage().setBody(b));
        consumer.inFlight(window, s.pollMs(), () -> InFlightWindow.flush(window, finish));
        BulkWriter bulk = new BulkWriter(template, ctx.getRegistry().findSingleByType(IndexTemplates.class),
                "elasticsearch:caravan?operation=Bulk", s.bulkMaxDocs(), s.bulkMaxBytes(), s.bulkConcurrency());
        DeadLetterPublisher deadLetters = new DeadLetterPublisher(s.kafkaBrokers(), s.dlqTopic(), backoff);
        ctx.addService(deadLetters);
        ctx.getRegistry().bind(ElasticsearchBreaker.REGISTRY_NAME, breaker.breaker());
        ctx.getRegistry().bind(CIRCUIT, breaker);
        ctx.getRegistry().bind(CONSUMER, consumer);
        if (s.enabled()) {
            HealthCheckRegistry health = HealthCheckRegistry.get(ctx);
            if (health != null) {
                health.register(new ElasticsearchHealthCheck(breaker, consumer));
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

        RouteDefinition route = from("kafka:{{caravan.kafka.topic.raw}}"
                + "?groupId={{caravan.index.group}}"
                + "&batching=true&maxPollRecords=" + s.recordsPerPoll() + "&pollTimeoutMs={{caravan.index.batch.poll-ms}}"
                + "&autoCommitEnable=false&allowManualCommit=true&autoOffsetReset=earliest"
                + "&sessionTimeoutMs=" + s.sessionTimeoutMs() + "&heartbeatIntervalMs=" + s.heartbeatIntervalMs()
                + "&keyDeserializer=org.apache.kafka.common.serialization.StringDeserializer"
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer")
                .routeId("index")
                .autoStartup(s.enabled())
                // After the routes it hands batches to, and stopped before them.
                .startupOrder(903)
                // Hands the Kafka consumer to ConsumerControl, which pauses, polls and commits on it.
                .pausable(consumer, o -> true).id("consumer-control")
                .setProperty(RECORDS, body()).id("records");
        Throttling.perRecord(route, s.throttlePerSecond(), "index");
        route.process(new ParseBatchProcessor()).id("parse");
        // Enrichment: one step per enabled enricher (enrich-geoip, enrich-useragent, enrich-bots, enrich-threats).
        if (s.enabled()) {
            for (Enricher enricher : enrichers.get()) {
                route.process(new EnrichProcessor(enricher)).id("enrich-" + enricher.name());
            }
        }
        route.process(new RenderProcessor(s.namespace(), s.maxDocumentBytes()))
                .id("render")
                // Sends the bulk ahead; the route goes on with the oldest batch once the window is full.
                .process(window.submitStep(bulk, breaker)).id("submit")
                .to(FINISH).id("finish");

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
                    .process(new RetryWait(breaker, consumer, backoff)).id("retry-wait")
                .end()
                .process(new DeadLetterProcessor(deadLetters, consumer)).id("dead-letter")
                .process(new OffsetCommitter(consumer, window)).id("commit");

        from(FAILED_BATCHES).routeId("index-failed")
                .autoStartup(s.enabled()).startupOrder(902).shutdownRoute(ShutdownRoute.Defer)
                .process(new FailedBatchProcessor(deadLetters, consumer, window, finish)).id("dead-letter-batch");
    }
}
