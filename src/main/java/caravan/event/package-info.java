/**
 * Ground floor: the records and codecs every stage shares. {@link caravan.event.LogEvent} (one
 * parsed line in ECS names), the Kafka {@link caravan.event.Envelope} on {@code logs-raw} (one per
 * line of a record's value, {@link caravan.event.Envelope#LINES_HEADER}; the file's fields once per
 * record, {@link caravan.event.FileFieldsHeader}), the
 * document JSON ({@link caravan.event.EcsJsonWriter}), {@link caravan.event.Timestamps}, the
 * deterministic {@link caravan.event.DocumentIds}, and {@link caravan.event.FixedMap} for a
 * structured field value that nothing may change (a GeoIP point).
 *
 * <p>Imports nothing of Caravan: every other package may import it.
 */
package caravan.event;
