package caravan.enrich.crs;

import caravan.enrich.Enricher;
import caravan.event.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs OWASP CRS over access-log events and writes its verdict in the threat fields the
 * dashboards and alerts read: {@code caravan.threat.detected} when the inbound anomaly score
 * reaches the threshold, {@code caravan.threat.categories} from the rules' {@code attack-*} tags,
 * {@code caravan.threat.rules}, {@code caravan.threat.severity}, and CRS's own
 * {@code caravan.threat.crs.rule_ids} and {@code caravan.threat.crs.anomaly_score}.
 */
public final class CrsEnricher implements Enricher {
    private static final Map<String, String> CATEGORIES = Map.ofEntries(
            Map.entry("attack-sqli", "sql_injection"), Map.entry("attack-xss", "xss"),
            Map.entry("attack-rce", "command_injection"), Map.entry("attack-lfi", "local_file_inclusion"),
            Map.entry("attack-rfi", "remote_file_inclusion"), Map.entry("attack-ssrf", "ssrf"),
            Map.entry("attack-injection-php", "php_injection"), Map.entry("attack-injection-java", "java_injection"),
            Map.entry("attack-ssti", "template_injection"), Map.entry("attack-fixation", "session_fixation"),
            Map.entry("attack-protocol", "protocol_violation"), Map.entry("attack-reputation-scanner", "scanner"),
            Map.entry("attack-generic", "generic_attack"), Map.entry("attack-injection-generic", "generic_attack"),
            Map.entry("attack-multipart-header", "protocol_violation"),
            Map.entry("attack-deprecated-header", "protocol_violation"));

    private final CrsEngine engine;
    private final List<String> headers;
    /** {@link #headers} as they would be sent ({@code User-Agent}), not rebuilt per event. */
    private final List<String> sentHeaders;
    private final int threshold;

    /**
     * @param headers the request headers the log format records, lower-case
     * @param threshold the inbound anomaly score that makes a request an attack
     */
    public CrsEnricher(CrsEngine engine, List<String> headers, int threshold) {
        this.engine = engine;
        this.headers = headers;
        this.sentHeaders = headers.stream().map(RequestData::canonical).toList();
        this.threshold = threshold;
    }

    @Override
    public void enrich(LogEvent e) {
        if (e.urlOriginal == null && e.userAgent == null && e.referrer == null && e.get("caravan.request.invalid") == null) {
            return; // not an HTTP event
        }
        CrsEngine.Verdict v = engine.evaluate(RequestData.of(e, headers, sentHeaders));
        boolean detected = v.anomalyScore() >= threshold;
        e.put("caravan.threat.detected", detected);
        if (v.rules().isEmpty() || (v.rules().size() == 1 && v.rules().get(0).hasTag("anomaly-evaluation"))) {
            return;
        }
        List<String> ids = new ArrayList<>(v.rules().size());
        List<String> categories = new ArrayList<>(2);
        String worst = null;
        for (CrsRule r : v.rules()) {
            if (r.hasTag("anomaly-evaluation")) {
                continue; // CRS's own "score exceeded" verdict: that is caravan.threat.detected
            }
            ids.add(Integer.toString(r.id));
            for (String tag : r.tags) {
                String c = CATEGORIES.get(tag.toLowerCase(Locale.ROOT));
                if (c != null && !categories.contains(c)) {
                    categories.add(c);
                }
            }
            worst = worse(worst, r.severity);
        }
        e.put("caravan.threat.crs.rule_ids", ids).put("caravan.threat.crs.anomaly_score", v.anomalyScore());
        if (detected) {
            e.put("caravan.threat.rules", ids).put("caravan.threat.categories", categories)
                    .put("caravan.threat.severity", label(worst));
        }
    }

    private static String worse(String a, String b) {
        return rank(b) > rank(a) ? b : a;
    }

    private static int rank(String severity) {
        if (severity == null) {
            return -1;
        }
        return switch (severity) {
            case "CRITICAL" -> 3;
            case "ERROR" -> 2;
            case "WARNING" -> 1;
            default -> 0;
        };
    }

    /** CRS severities in the built-in rules' words: critical, high, medium, low. */
    private static String label(String severity) {
        return switch (rank(severity)) {
            case 3 -> "critical";
            case 2 -> "high";
            case 1 -> "medium";
            default -> "low";
        };
    }

    @Override
    public String name() {
        return "crs";
    }

    public CrsEngine engine() {
        return engine;
    }
}
