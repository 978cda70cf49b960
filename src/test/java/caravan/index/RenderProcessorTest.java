package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.parse.LogEvent;
import caravan.ship.Envelope;
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

    private static IndexBatch.Item item(long offset, String message) {
        Envelope env = new Envelope(message, "/a.log", offset, "h", "apache.access", "2026-11-24T00:00:00Z", null, "src",
                "combined", "f");
        LogEvent event = new LogEvent();
        event.message = message;
        return new IndexBatch.Item(event, env, "apache.access", new RecordOrigin("raw", 0, offset, null, env.toJson(), 0, null));
    }
}
