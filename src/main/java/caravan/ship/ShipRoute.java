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
                        // tail: ships lines up to maxLineBytes (1 MiB by default); with the envelope and
                        // JSON escaping that is over the producer's own 1 MiB default, which would fail such
                        // a line for ever. The broker's limit applies to the compressed batch.
                        + "&maxRequestSize=8388608"
                        + "&keySerializer=org.apache.kafka.common.serialization.StringSerializer"
                        + "&valueSerializer=org.apache.kafka.common.serialization.ByteArraySerializer")
                .id("to-logs-raw");
    }
}
