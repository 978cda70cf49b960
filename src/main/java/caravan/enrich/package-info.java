/**
 * Stage: enrichment of a {@link caravan.event.LogEvent}. This package holds the
 * {@link caravan.enrich.Enricher} contract and the wrapper that reloads an operator's rule file;
 * the enrichers live in subpackages ({@code geo}, {@code ua}, {@code bot}, {@code threat}, with
 * {@code match} for multi-pattern matching), and {@code chain} builds the enabled ones in order.
 *
 * <p>Imports only the ground floor. Dependencies run one way: {@code chain} → the enrichers →
 * this package.
 */
package caravan.enrich;
