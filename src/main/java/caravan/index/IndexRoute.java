package caravan.index;

import caravan.enrich.EnrichProcessor;
import caravan.enrich.Enricher;
import caravan.enrich.Enrichers;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

/**
 * {@code logs-raw} to Elasticsearch: a batching Kafka consumer with auto-commit off; each poll is
 * parsed into documents, bulk-indexed item by item, and only then are its offsets committed.
 */
public class IndexRoute extends RouteBuilder {
    /** Exchange property holding the batch's Kafka record exchanges, for the commit. */
    public static final String RECORDS = "caravanRecords";

    @Override
    public void configure() {
        String namespace = getContext().resolvePropertyPlaceholders("{{caravan.index.namespace}}");
        int maxDocs = Integer.parseInt(getContext().resolvePropertyPlaceholders("{{caravan.index.bulk.max-docs}}"));
        long maxBytes = Long.parseLong(getContext().resolvePropertyPlaceholders("{{caravan.index.bulk.max-bytes}}"));
        long backoffInitial = Long.parseLong(getContext().resolvePropertyPlaceholders("{{caravan.index.retry.initial-ms}}"));
        long backoffMax = Long.parseLong(getContext().resolvePropertyPlaceholders("{{caravan.index.retry.max-ms}}"));

        RouteDefinition route = from("kafka:{{caravan.kafka.topic.raw}}"
                + "?groupId={{caravan.index.group}}"
                + "&batching=true&maxPollRecords={{caravan.index.batch.records}}&pollTimeoutMs={{caravan.index.batch.poll-ms}}"
                + "&autoCommitEnable=false&allowManualCommit=true&autoOffsetReset=earliest"
                + "&keyDeserializer=org.apache.kafka.common.serialization.StringDeserializer"
                + "&valueDeserializer=org.apache.kafka.common.serialization.ByteArrayDeserializer")
                .routeId("index")
                .autoStartup("{{caravan.index.enabled}}")
                .setProperty(RECORDS, body())
                .process(new ParseBatchProcessor()).id("parse");
        // Enrichment: one step per enabled enricher (enrich-geoip, enrich-useragent, enrich-bots, enrich-threats).
        // A ship-only process never indexes, so it skips building them (YAUAA alone takes seconds).
        if (Boolean.parseBoolean(getContext().resolvePropertyPlaceholders("{{caravan.index.enabled}}"))) {
            for (Enricher enricher : Enrichers.fromSettings(key -> getContext().getPropertiesComponent().resolveProperty(key).orElse(null))) {
                route.process(new EnrichProcessor(enricher)).id("enrich-" + enricher.name());
            }
        }
        route.process(new RenderProcessor(namespace)).id("render")
                .process(new BulkWriter(getContext().createProducerTemplate(),
                        getContext().getRegistry().findSingleByType(IndexTemplates.class),
                        "elasticsearch:caravan?operation=Bulk",
                        maxDocs, maxBytes, backoffInitial, backoffMax)).id("bulk")
                .process(new OffsetCommitter()).id("commit");
    }
}
