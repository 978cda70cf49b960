/**
 * Ground floor: the search-engine client, the one HTTP client that camel-elasticsearch and
 * Caravan's own calls share, and the small JSON calls on it.
 *
 * <p>Imports only {@code caravan.common}; the index, alert and API stages import it.
 */
package caravan.search;
