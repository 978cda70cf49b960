/**
 * Stage: the index route, {@code logs-raw} to the search engine: a batch from poll to commit,
 * parsed, enriched, rendered, bulk-indexed item by item, dead-lettered, committed; templates,
 * retention and replay.
 *
 * <p>Imports the ground floor, and the two stages it runs as steps: {@code parse} (the line
 * parsers) and {@code enrich} (the {@link caravan.enrich.Enricher} contract; the enrichers
 * themselves are built by the wiring). Nothing imports it but {@code ops}.
 */
package caravan.index;
