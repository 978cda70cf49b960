package caravan.ship;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.parse.Parsers;
import caravan.ship.tail.LineAcknowledgement;
import caravan.ship.tail.TailConstants;
import java.util.List;
import java.util.Properties;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.kafka.KafkaConfiguration;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.kafka.KafkaEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.support.DefaultMessage;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The ship route tells the tail: component which lines of a failed batch Kafka took anyway. */
class ShipRouteTest {

    @Test
    void aBatchCarriesTheKafkaAcknowledgementOfEachLineByItsRecord() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            addShipRoute(ctx, "5", "lz4", "65536");
            // no Kafka here: the send is replaced, everything before it runs
            AdviceWith.adviceWith(ctx, "ship", r -> r.weaveById("to-logs-raw").replace().to("mock:kafka"));
            ctx.start();
            List<Message> lines = List.of(line(ctx, 0), line(ctx, 10), line(ctx, -1));
            Exchange sent = ctx.createProducerTemplate().send("direct:ship", e -> {
                e.getMessage().setBody(lines);
                e.getMessage().setHeader(TailConstants.FORMAT, "combined");
            });

            assertThat(sent.getException()).isNull();
            // the two lines with a file position share a record; the one without goes alone
            List<?> records = sent.getMessage().getBody(List.class);
            assertThat(records).hasSize(2);
            LineAcknowledgement ack = sent.getProperty(TailConstants.LINE_ACKNOWLEDGEMENT, LineAcknowledgement.class);
            assertThat(ack).isNotNull();
            assertThat(ack.acknowledged(lines.get(0))).as("no answer yet").isFalse();
            answer((Message) records.get(0), 42);
            answer((Message) records.get(1), -1);
            assertThat(ack.acknowledged(lines.get(0))).as("its record is stored").isTrue();
            assertThat(ack.acknowledged(lines.get(1))).as("a line of a record of several: the record's answer").isTrue();
            assertThat(ack.acknowledged(lines.get(2))).as("the broker refused its record: no offset").isFalse();
            assertThat(ack.acknowledged(lines.get(1))).as("asked again, out of order").isTrue();
            assertThat(ack.acknowledged(new DefaultMessage(ctx))).as("not a line of this batch").isFalse();
        }
    }

    /** The producer's batch size, codec and linger come from the caravan.ship.kafka settings. */
    @Test
    void theProducerTakesItsBatchSizeCodecAndLingerFromTheSettings() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            addShipRoute(ctx, "7", "zstd", "131072");
            String uri = ctx.getRouteDefinition("ship").getOutputs().stream()
                    .filter(o -> "to-logs-raw".equals(o.getId()))
                    .map(o -> ((ToDefinition) o).getUri()).findFirst().orElseThrow();

            KafkaConfiguration c = ctx.getEndpoint(ctx.resolvePropertyPlaceholders(uri), KafkaEndpoint.class).getConfiguration();

            assertThat(c.getProducerBatchSize()).isEqualTo(131072);
            assertThat(c.getCompressionCodec()).isEqualTo("zstd");
            assertThat(c.getLingerMs()).isEqualTo(7);
            assertThat(c.getBufferMemorySize()).isEqualTo(8388608);
        }
    }

    /** The ship route on its settings: the producer's linger, codec and batch size as given, an 8 MiB buffer. */
    private static void addShipRoute(DefaultCamelContext ctx, String lingerMs, String codec, String batchSize) throws Exception {
        Properties p = new Properties();
        p.setProperty("caravan.ship.enabled", "true");
        p.setProperty("caravan.kafka.topic.raw", "logs-raw");
        p.setProperty("caravan.ship.kafka.linger-ms", lingerMs);
        p.setProperty("caravan.ship.kafka.compression", codec);
        p.setProperty("caravan.ship.kafka.buffer-memory", "8388608");
        p.setProperty("caravan.ship.kafka.batch-size", batchSize);
        ctx.getPropertiesComponent().setInitialProperties(p);
        ctx.addRoutes(new ShipRoute(new ShipSettings(0, 60_000, 64, 262_144, true), Parsers::datasetOf));
    }

    /** A line of a batch, at {@code offset} in its file (-1: none, as a line without a file position). */
    private static Message line(DefaultCamelContext ctx, long offset) {
        Message m = new DefaultMessage(ctx);
        m.setBody("GET / " + offset);
        if (offset >= 0) {
            m.setHeader(TailConstants.OFFSET, offset);
        }
        return m;
    }

    /** A record as camel-kafka leaves it after the broker's answer ({@code offset} -1: not stored). */
    private static void answer(Message record, long offset) {
        record.setHeader(KafkaConstants.KAFKA_RECORD_META, List.of(new RecordMetadata(new TopicPartition("logs-raw", 0), offset, 0, 0L, 0, 0)));
    }
}
