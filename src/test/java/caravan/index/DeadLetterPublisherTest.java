package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.Backoff;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.component.kafka.DefaultKafkaClientFactory;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Dead letters go through the camel kafka component, configured once, and wait for every acknowledgement. */
class DeadLetterPublisherTest {
    private final List<Properties> producerConfigs = new ArrayList<>();
    /** Refuses values over 64 bytes as too large, and fails the first {@code transientFailures} sends. */
    private final AtomicInteger transientFailures = new AtomicInteger();
    private final MockProducer<String, byte[]> broker = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer()) {
        @Override
        public synchronized Future<RecordMetadata> send(ProducerRecord<String, byte[]> r, Callback cb) {
            RuntimeException refused = r.value() != null && r.value().length > 64 ? new RecordTooLargeException("too large")
                    : transientFailures.getAndDecrement() > 0 ? new TimeoutException("no leader") : null;
            if (refused != null) {
                cb.onCompletion(new RecordMetadata(null, -1, -1, -1, -1, -1), refused);
                return CompletableFuture.failedFuture(refused);
            }
            return super.send(r, cb);
        }
    };
    private DefaultCamelContext ctx;
    private DeadLetterPublisher publisher;

    @BeforeEach
    void start() {
        ctx = new DefaultCamelContext();
        KafkaComponent kafka = ctx.getComponent("kafka", KafkaComponent.class);
        kafka.getConfiguration().setBrokers("127.0.0.1:1");
        // What CaravanRuntime puts there from caravan.kafka.security.*.
        kafka.getConfiguration().setAdditionalProperties(new java.util.HashMap<>(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512")));
        kafka.setKafkaClientFactory(new DefaultKafkaClientFactory() {
            @Override
            public Producer<String, byte[]> getProducer(Properties props) {
                producerConfigs.add(props);
                return broker;
            }
        });
        ctx.start();
        publisher = new DeadLetterPublisher(ctx.createProducerTemplate(), "logs-dlq", new Backoff(1, 2));
    }

    @AfterEach
    void stop() {
        ctx.stop();
    }

    private static DeadLetter letter(String key, String value, String reason) {
        RecordOrigin origin = new RecordOrigin("logs-raw", 2, 41, key, value.getBytes(StandardCharsets.UTF_8), 1, "2026-11-24T04:05:06Z");
        return new DeadLetter(origin, "parse", reason, "caravan.parse.ParseException", 0, "apache.access", "web", "2026-12-01T00:00:00Z");
    }

    private static String header(ProducerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    @Test
    void writesEachLetterWithItsKeyValueAndHeadersThroughTheConfiguredComponent() {
        publisher.publish(List.of(letter("web-1/a.log", "line one", "bad quote in café"), letter("web-1/a.log", "line two", "x")),
                null, new ConsumerControl());
        assertThat(broker.history()).hasSize(2);
        ProducerRecord<String, byte[]> first = broker.history().get(0);
        assertThat(first.topic()).isEqualTo("logs-dlq");
        assertThat(first.key()).isEqualTo("web-1/a.log");
        assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo("line one");
        assertThat(header(first, DlqHeaders.REASON)).isEqualTo("bad quote in café");
        assertThat(header(first, DlqHeaders.OFFSET)).isEqualTo("41");
        assertThat(header(first, DlqHeaders.REPLAY_COUNT)).isEqualTo("1");
        assertThat(header(first, DlqHeaders.FIRST_FAILURE)).isEqualTo("2026-11-24T04:05:06Z");
        assertThat(first.headers().lastHeader("kafka.KEY")).isNull();
        assertThat(producerConfigs).singleElement().satisfies(p -> assertThat(p)
                .containsEntry("acks", "all").containsEntry("enable.idempotence", true)
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512"));
    }

    @Test
    void retriesWhatKafkaDidNotAcknowledgeUntilItDoes() {
        transientFailures.set(3);
        publisher.publish(List.of(letter("k", "a", "r"), letter("k", "b", "r")), null, new ConsumerControl());
        assertThat(broker.history()).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void aLetterTooLargeForTheTopicIsReplacedByAStandInWithItsPosition() {
        publisher.publish(List.of(letter("k", "small", "r"), letter("k", "x".repeat(100), "mapping conflict")), null,
                new ConsumerControl());
        assertThat(broker.history()).hasSize(2);
        ProducerRecord<String, byte[]> stub = broker.history().get(1);
        assertThat(stub.value()).isEmpty();
        assertThat(header(stub, DlqHeaders.REASON)).startsWith("mapping conflict [value of 100 bytes too large for logs-dlq")
                .endsWith("the original is at logs-raw/2@41]");
    }
}
