package caravan.ship;

import org.apache.camel.builder.RouteBuilder;

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
        from("direct:ship").routeId("ship")
                .autoStartup("{{caravan.ship.enabled}}")
                .process(new EnvelopeProcessor()).id("envelope")
                .to("kafka:{{caravan.kafka.topic.raw}}"
                        + "?requestRequiredAcks=all&enableIdempotence=true"
                        + "&lingerMs={{caravan.ship.kafka.linger-ms}}"
                        + "&compressionCodec={{caravan.ship.kafka.compression}}"
                        + "&keySerializer=org.apache.kafka.common.serialization.StringSerializer"
                        + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer")
                .id("to-logs-raw");
    }
}
