/**
 * The enabled enrichers, in order, from the {@code caravan.enrich.*} settings. The wiring in
 * {@code ops} calls it; the index route only sees the {@link caravan.enrich.Enricher} list.
 */
package caravan.enrich.chain;
