package caravan.alert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * One notification: an alert starts firing, is still firing after its cooldown, or resolved.
 *
 * @param key        rule + dataset + subject: stable for as long as the condition lasts
 * @param firstFired window start at which this episode began (with the key, the alert's document id)
 * @param window     start of the window that produced this event (event time, not wall-clock)
 */
public record AlertEvent(String key, Status status, String ruleId, String severity, String description, String dataset,
        String subject, double value, String message, Instant firstFired, Instant window, String mode,
        List<String> channels) {

    public enum Status { FIRING, RESOLVED }

    public static String key(String ruleId, String dataset, String subject) {
        return ruleId + "|" + dataset + "|" + subject;
    }

    /** Id of the alert's document in the alerts index: one per episode, updated when it resolves. */
    public String docId() {
        return key + "@" + firstFired.toEpochMilli();
    }

    /** A one-line summary: the e-mail subject and the chat message's first line. */
    public String title() {
        return "[caravan] " + status + " " + severity + ": " + ruleId + " " + subject;
    }

    public ObjectNode toJson(ObjectMapper json) {
        ObjectNode d = json.createObjectNode();
        d.put("@timestamp", window.toString());
        d.put("key", key).put("status", status.name().toLowerCase(java.util.Locale.ROOT)).put("rule", ruleId)
                .put("severity", severity).put("description", description).put("dataset", dataset).put("subject", subject)
                .put("value", value).put("message", message).put("first_fired", firstFired.toString())
                .put("window", window.toString()).put("mode", mode);
        if (status == Status.RESOLVED) {
            d.put("resolved_at", window.toString());
        }
        return d;
    }

    public static AlertEvent fromJson(JsonNode d) {
        return new AlertEvent(d.path("key").asText(), Status.valueOf(d.path("status").asText().toUpperCase(java.util.Locale.ROOT)),
                d.path("rule").asText(), d.path("severity").asText(), d.path("description").asText(null),
                d.path("dataset").asText(), d.path("subject").asText(), d.path("value").asDouble(), d.path("message").asText(),
                Instant.parse(d.path("first_fired").asText()), Instant.parse(d.path("window").asText()),
                d.path("mode").asText("live"), List.of());
    }
}
