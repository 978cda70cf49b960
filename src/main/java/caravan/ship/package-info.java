/**
 * Stage: the ship route, {@code direct:ship} to Kafka's {@code logs-raw}: each line wrapped in its
 * envelope, sent with acks=all from an idempotent producer.
 *
 * <p>Imports the ground floor and its own {@code tail:} component ({@code caravan.ship.tail}),
 * which in turn knows nothing of this route: the route tells it through an exchange property which
 * lines of a failed batch Kafka took. The dataset of a format is given by the wiring, so ship
 * does not import parse.
 */
package caravan.ship;
