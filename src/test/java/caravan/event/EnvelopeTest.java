package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EnvelopeTest {
    private final Envelope env = new Envelope("line \"with\" quotes", "/var/log/a.log", 123456, "web-1", "apache.access",
            "2026-11-24T04:05:06.789Z", "web", "apache-access", "combined", "id-1");

    @Test
    void writesTheDesignShape() throws Exception {
        JsonNode n = new ObjectMapper().readTree(env.toJson());
        assertThat(n.path("message").asText()).isEqualTo("line \"with\" quotes");
        assertThat(n.path("log").path("file").path("path").asText()).isEqualTo("/var/log/a.log");
        assertThat(n.path("log").path("offset").asLong()).isEqualTo(123456);
        assertThat(n.path("host").path("name").asText()).isEqualTo("web-1");
        assertThat(n.path("event").path("dataset").asText()).isEqualTo("apache.access");
        assertThat(n.path("service").path("name").asText()).isEqualTo("web");
        assertThat(n.path("caravan").path("format").asText()).isEqualTo("combined");
        assertThat(n.path("caravan").path("file_id").asText()).isEqualTo("id-1");
    }

    @Test
    void roundTrips() {
        assertThat(Envelope.fromJson(env.toJson())).isEqualTo(env);
    }

    @Test
    void skipsUnknownMembersFromNewerShippers() {
        String json = "{\"future\":{\"a\":[1,{\"b\":2}]},\"message\":\"m\",\"log\":{\"offset\":5,\"x\":{\"y\":1},"
                + "\"file\":{\"path\":\"/p\"}},\"caravan\":{\"format\":\"combined\",\"new\":true}}";
        Envelope e = Envelope.fromJson(json.getBytes(StandardCharsets.UTF_8));
        assertThat(e.message()).isEqualTo("m");
        assertThat(e.offset()).isEqualTo(5);
        assertThat(e.path()).isEqualTo("/p");
        assertThat(e.format()).isEqualTo("combined");
    }

    @Test
    void rejectsWhatIsNotAnEnvelope() {
        assertThatThrownBy(() -> Envelope.fromJson("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Envelope.fromJson("{\"log\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no message");
        assertThatThrownBy(() -> Envelope.fromJson("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyKeepsOneFileOnOnePartition() {
        assertThat(env.key()).isEqualTo("web-1:/var/log/a.log");
    }
}
