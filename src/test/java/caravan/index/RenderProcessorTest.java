package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.DocumentIds;
import caravan.event.Envelope;
import caravan.event.LogEvent;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class RenderProcessorTest {

    @Test
    void anOversizeDocumentGoesToTheDlqAndTheRestIsRendered() {
        IndexBatch batch = new IndexBatch();
        batch.items().add(item(0, "short"));
        batch.items().add(item(1, "x".repeat(5_000)));
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setBody(batch);
        new RenderProcessor("default", 2_000).process(e);

        assertThat(batch.docs()).singleElement().satisfies(d -> {
            assertThat(d.offset()).isZero();
            assertThat(d.id()).isEqualTo(DocumentIds.of("h", "f", 0));
            assertThat(d.index()).startsWith("logs-apache.access-default-");
        });
        assertThat(batch.failures()).singleElement().satisfies(f -> {
            assertThat(f.stage()).isEqualTo("oversize");
            assertThat(f.offset()).isEqualTo(1);
            assertThat(f.reason()).contains("caravan.index.max-document-bytes (2000)");
        });
        assertThat(batch.items()).isEmpty();
        assertThat(batch.unsettled()).containsExactlyElementsOf(batch.docs());
    }

    @Test
    void theServiceTheLineNamesWinsOverTheSourceLabel() {
        IndexBatch batch = new IndexBatch();
        batch.items().add(item(0, "from the label", "web"));
        IndexBatch.Item named = item(1, "names its own", "web");
        named.event().put("service.name", "payment-service");
        batch.items().add(named);
        batch.items().add(item(2, "no label", null));
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setBody(batch);
        new RenderProcessor("default", 100_000).process(e);

        assertThat(batch.docs()).extracting(d -> new String(d.json(), StandardCharsets.UTF_8)).satisfiesExactly(
                d -> assertThat(d).contains("\"service\":{\"name\":\"web\"}"),
                d -> assertThat(d).contains("\"service\":{\"name\":\"payment-service\"}").doesNotContain("\"web\""),
                d -> assertThat(d).doesNotContain("\"service\""));
    }

    @Test
    void recordsWithoutAFilePositionGetTheirKafkaPositionAsId() {
        // Issue 12: a timer: or file: route gave every record offset -1 and no file id, hence one id.
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (long kafkaOffset = 0; kafkaOffset < 100; kafkaOffset++) {
            Envelope env = new Envelope("line " + kafkaOffset, null, -1, null, "app.log", "2026-11-24T00:00:00Z", null,
                    "timer-src", "app", null);
            ids.add(RenderProcessor.id(env, new RecordOrigin("logs-raw", 1, kafkaOffset, null, env.toJson(), 0, null)));
        }
        assertThat(ids).hasSize(100);
        Envelope env = new Envelope("x", null, -1, null, "app.log", "2026-11-24T00:00:00Z", null, "s", "app", null);
        // A re-read of the same record: the same id; another partition or topic: another.
        assertThat(RenderProcessor.id(env, new RecordOrigin("logs-raw", 1, 7, null, null, 0, null)))
                .isEqualTo(RenderProcessor.id(env, new RecordOrigin("logs-raw", 1, 7, null, null, 0, null)))
                .isNotEqualTo(RenderProcessor.id(env, new RecordOrigin("logs-raw", 2, 7, null, null, 0, null)))
                .isNotEqualTo(RenderProcessor.id(env, new RecordOrigin("other", 1, 7, null, null, 0, null)));
        // A replay lands at a new offset but keeps the id of its first delivery.
        assertThat(RenderProcessor.id(env, new RecordOrigin("logs-raw", 0, 9_000, null, null, 1, "t", "logs-raw/1@7")))
                .isEqualTo(RenderProcessor.id(env, new RecordOrigin("logs-raw", 1, 7, null, null, 0, null)));
    }

    @Test
    void aRouteMayNameItsIdAndAnotherShippersPathAndOffsetAreAPosition() {
        RecordOrigin o = new RecordOrigin("logs-raw", 0, 1, null, null, 0, null);
        Envelope named = new Envelope("x", null, -1, null, "app.log", "t", null, "s", "app", null, false, "order-42");
        assertThat(RenderProcessor.id(named, o)).isEqualTo(DocumentIds.ofName("order-42"))
                .isEqualTo(RenderProcessor.id(named, new RecordOrigin("logs-raw", 5, 99, null, null, 0, null)));
        Envelope filebeat = new Envelope("x", "/var/log/a.log", 120, "web-1", null, null, null, null, null, null);
        assertThat(RenderProcessor.id(filebeat, o)).isEqualTo(DocumentIds.of("web-1", "/var/log/a.log", 120));
    }

    @Test
    void theTruncatedFlagReachesTheDocument() {
        IndexBatch batch = new IndexBatch();
        Envelope env = new Envelope("cut", "/a.log", 0, "h", "apache.access", "2026-11-24T00:00:00Z", null, "src",
                "combined", "f", true);
        LogEvent event = new LogEvent();
        event.message = "cut";
        batch.items().add(new IndexBatch.Item(event, env, "apache.access", new RecordOrigin("raw", 0, 0, null, env.toJson(), 0, null)));
        batch.items().add(item(1, "whole"));
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setBody(batch);
        new RenderProcessor("default", 100_000).process(e);
        assertThat(batch.docs()).extracting(d -> new String(d.json(), StandardCharsets.UTF_8)).satisfiesExactly(
                d -> assertThat(d).contains("\"flags\":[\"truncated\"]"),
                d -> assertThat(d).doesNotContain("flags"));
    }

    @Test
    void theShippersReadTimeIsEventCreatedWhenItIsATime() {
        IndexBatch batch = new IndexBatch();
        batch.items().add(item(0, "ours"));
        Envelope vector = new Envelope("theirs", "/a.log", 1, "h", "apache.access", "2026-11-24T00:00:01.123456789Z",
                null, "src", "combined", "f");
        Envelope junk = new Envelope("junk", "/a.log", 2, "h", "apache.access", "yesterday", null, "src", "combined", "f");
        for (Envelope env : java.util.List.of(vector, junk)) {
            LogEvent event = new LogEvent();
            event.message = env.message();
            batch.items().add(new IndexBatch.Item(event, env, "apache.access",
                    new RecordOrigin("raw", 0, env.offset(), null, env.toJson(), 0, null)));
        }
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setBody(batch);
        new RenderProcessor("default", 100_000).process(e);

        assertThat(batch.docs()).extracting(d -> new String(d.json(), StandardCharsets.UTF_8)).satisfiesExactly(
                d -> assertThat(d).contains("\"created\":\"2026-11-24T00:00:00.000Z\""),
                d -> assertThat(d).contains("\"created\":\"2026-11-24T00:00:01.123Z\""),
                d -> assertThat(d).doesNotContain("created").doesNotContain("yesterday")); // the engine could not map it
        assertThat(batch.docs()).extracting(PendingDoc::readMillis)
                .containsExactly(1_795_478_400_000L, 1_795_478_401_123L, DeliveryDelay.UNKNOWN);
    }

    private static IndexBatch.Item item(long offset, String message) {
        return item(offset, message, null);
    }

    private static IndexBatch.Item item(long offset, String message, String service) {
        Envelope env = new Envelope(message, "/a.log", offset, "h", "apache.access", "2026-11-24T00:00:00Z", service, "src",
                "combined", "f");
        LogEvent event = new LogEvent();
        event.message = message;
        return new IndexBatch.Item(event, env, "apache.access", new RecordOrigin("raw", 0, offset, null, env.toJson(), 0, null));
    }
}
