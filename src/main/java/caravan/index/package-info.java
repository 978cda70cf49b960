/**
 * Stage: the index route, {@code logs-raw} to the search engine: a batch from poll to commit,
 * parsed, enriched, rendered, bulk-indexed item by item, dead-lettered, committed; templates,
 * retention and replay.
 *
 * <p>One owner for a batch's life: {@link caravan.index.IndexBatches} (the batches in flight, their
 * offsets in an {@link caravan.index.OffsetTracker}, the commit); {@link caravan.index.ConsumerControl}
 * only pauses, polls and commits on the Kafka consumer, {@link caravan.index.RebalanceHook} tells the
 * tracker of rebalances, {@link caravan.index.BulkWriter} sends and settles documents.
 *
 * <p>Imports the ground floor, and the two stages it runs as steps: {@code parse} (the line
 * parsers) and {@code enrich} (the {@link caravan.enrich.Enricher} contract; the enrichers
 * themselves are built by the wiring). Nothing imports it but {@code ops}.
 */
package caravan.index;
