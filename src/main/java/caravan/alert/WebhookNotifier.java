package caravan.alert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * POSTs each alert as JSON: Caravan's alert document, or with {@code slack} format a body Slack
 * (and Mattermost, Rocket.Chat) incoming webhooks accept: {@code {"text": ...}}.
 */
public final class WebhookNotifier implements Notifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI url;
    private final boolean slack;
    private final Duration timeout;
    private final HttpClient http;

    public WebhookNotifier(URI url, boolean slack, Duration timeout) {
        this.url = url;
        this.slack = slack;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    @Override
    public String channel() {
        return "webhook";
    }

    @Override
    public void send(AlertEvent e) throws Exception {
        String body = JSON.writeValueAsString(slack ? slackBody(e) : e.toJson(JSON));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(url).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new java.io.IOException("webhook " + url.getHost() + " answered " + r.statusCode());
        }
    }

    static ObjectNode slackBody(AlertEvent e) {
        ObjectNode n = JSON.createObjectNode();
        String icon = e.status() == AlertEvent.Status.FIRING ? ":rotating_light:" : ":white_check_mark:";
        n.put("text", icon + " *" + e.status() + "* `" + e.ruleId() + "` (" + e.severity() + ") " + e.subject() + "\n" + e.message());
        return n;
    }
}
