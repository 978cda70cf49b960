/**
 * Stage: the REST API ({@code /api}): log search, window statistics, alerts and rules.
 *
 * <p>Imports the ground floor and {@code alert}, whose analyser it serves; nothing imports it but
 * {@code ops}.
 */
package caravan.api;
