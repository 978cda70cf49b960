package caravan.enrich;

import caravan.event.LogEvent;

/**
 * Adds fields to a parsed event (GeoIP, user agent, bots, threats). Implementations are
 * thread-safe and never throw for odd input: an event they cannot enrich passes unchanged.
 */
public interface Enricher {

    void enrich(LogEvent event);

    /** A short name for metrics and logs, e.g. {@code geoip}. */
    String name();
}
