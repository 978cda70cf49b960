package caravan.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookNotifierTest {
    @Test
    void slackFormatIsOneTextField() {
        AlertEvent e = new AlertEvent("brute-force|apache.access|198.51.100.7", AlertEvent.Status.FIRING, "brute-force", "medium",
                "d", "apache.access", "198.51.100.7", 350, "198.51.100.7 made 350 requests", Instant.EPOCH, Instant.EPOCH, "live",
                List.of("webhook"));
        var body = WebhookNotifier.slackBody(e);
        assertThat(body.size()).isEqualTo(1);
        assertThat(body.path("text").asText()).isEqualTo(":rotating_light: *FIRING* `brute-force` (medium) 198.51.100.7\n"
                + "198.51.100.7 made 350 requests");
    }
}
