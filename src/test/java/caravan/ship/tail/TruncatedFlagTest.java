package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.Envelope;
import caravan.parse.Parsers;
import caravan.ship.EnvelopeProcessor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** A line cut at maxLineBytes travels as {@code log.flags: ["truncated"]}; whole lines carry no flags. */
class TruncatedFlagTest {

    @Test
    void envelopeWritesAndReadsTheFlag() throws Exception {
        Envelope cut = new Envelope("x", "/p", 0, "h", "d", "c", null, "s", "combined", "id", true);
        JsonNode n = new ObjectMapper().readTree(cut.toJson());
        assertThat(n.path("log").path("flags").get(0).asText()).isEqualTo("truncated");
        assertThat(Envelope.fromJson(cut.toJson())).isEqualTo(cut);
        Envelope whole = new Envelope("x", "/p", 0, "h", "d", "c", null, "s", "combined", "id");
        assertThat(new ObjectMapper().readTree(whole.toJson()).path("log").has("flags")).isFalse();
        assertThat(Envelope.fromJson(whole.toJson()).truncated()).isFalse();
    }

    @Test
    void processorTakesTheHeader() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            Exchange ex = new DefaultExchange(ctx);
            ex.getMessage().setBody("cut line");
            ex.getMessage().setHeader(TailConstants.FORMAT, "combined");
            ex.getMessage().setHeader(TailConstants.TRUNCATED, true);
            new EnvelopeProcessor(Parsers::datasetOf).process(ex);
            assertThat(Envelope.fromJson(ex.getMessage().getBody(byte[].class)).truncated()).isTrue();
        }
    }
}
