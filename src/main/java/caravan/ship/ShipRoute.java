package caravan.ship;

import caravan.ops.Throttling;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;

/**
 * {@code direct:ship}: every source route ends here. Lines become envelopes on {@code logs-raw}.
 *
 * <p>The Kafka producer waits for acks=all from an idempotent producer before the exchange
 * completes, and the tailer moves its checkpoint only when the exchange completes: so a line is
 * never checkpointed before Kafka holds it.
 */
public class ShipRoute extends RouteBuilder {

    @Override
    public void configure() {
        RouteDefinition route = from("direct:ship").routeId("ship")
                .autoStartup("{{caravan.ship.enabled}}")
                .process(new EnvelopeProcessor()).id("envelope");
        // caravan.ship.throttle.per-second: blocks the tailer's thread when over the limit (0 = off).
        Throttling.perExchange(route, Long.parseLong(
                getContext().resolvePropertyPlaceholders("{{caravan.ship.throttle.per-second}}")), "ship");
        route.to("kafka:{{caravan.kafka.topic.raw}}"
                        + "?requestRequiredAcks=all&enableIdempotence=true"
                        + "&lingerMs={{caravan.ship.kafka.linger-ms}}"
                        + "&compressionCodec={{caravan.ship.kafka.compression}}"
                        + "&keySerializer=org.apache.kafka.common.serialization.StringSerializer"
                        + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer")
                .id("to-logs-raw");
    }
}
