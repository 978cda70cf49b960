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
