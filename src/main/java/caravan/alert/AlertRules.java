package caravan.alert;

import caravan.common.RuleFile;
import caravan.common.RuleFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates {@code alerts.yaml}. Every mistake stops the load with the file, line, rule
 * and field: a rule that silently never fires is the worst outcome for an alerting system.
 */
public final class AlertRules {
    public static final List<String> CHANNELS = List.of("log", "webhook", "email", "index");
    public static final List<String> SEVERITIES = List.of("info", "low", "medium", "high", "critical");
    private static final Set<String> COMMON = Set.of("id", "type", "description", "severity", "dataset",
            "cooldown_minutes", "notify", "enabled");
    /** The fields each rule type takes besides the common ones. */
    private static final Map<String, Set<String>> TYPES = Map.of(
            "threshold", Set.of("metric", "above", "for_windows", "min_requests"),
            "per_ip", Set.of("metric", "above"),
            "spike", Set.of("z", "min_ratio", "min_baseline", "alpha", "min_requests"),
            "latency_anomaly", Set.of("z", "min_samples", "min_baseline", "min_ms"),
            "new_attacker", Set.of("min_hits", "lookback_hours"));

    private AlertRules() {
    }

    /**
     * @param configured the notification channels this process can use; a rule naming another one
     *                   is refused (an alert nobody receives is a silent failure)
     */
    public static List<Rule> load(Path file, Set<String> configured) {
        if (!Files.isRegularFile(file)) {
            throw new RuleFileException(file.toString(), 0, "the alert rules file does not exist: create it (see alerts.yaml in the "
                    + "distribution) or point caravan.alert.rules-file at it");
        }
        return parse(RuleFile.read(file), configured);
    }

    public static List<Rule> parse(RuleFile file, Set<String> configured) {
        List<Rule> rules = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (RuleFile.Entry e : file.entries("rules")) {
            String id = e.string("id");
            String type = e.string("type");
            Set<String> fields = TYPES.get(type);
            if (fields == null) {
                throw e.error("type", "rule '" + id + "': unknown type '" + type + "' (use one of " + String.join(", ", TYPES.keySet()) + ")");
            }
            Set<String> allowed = new LinkedHashSet<>(COMMON);
            allowed.addAll(fields);
            try {
                e.allowOnly(allowed);
            } catch (RuleFileException ex) {
                throw new RuleFileException(ex.source(), ex.line(), "rule '" + id + "': " + ex.reason());
            }
            if (!ids.add(id)) {
                throw e.error("id", "rule '" + id + "': the id is used twice; ids must be unique (they key the alerts)");
            }
            if (!e.bool("enabled", true)) {
                continue;
            }
            Fields f = new Fields(e, id);
            String severity = e.has("severity") ? e.string("severity") : "medium";
            if (!SEVERITIES.contains(severity)) {
                throw e.error("severity", "rule '" + id + "': field 'severity': '" + severity + "' is not one of " + SEVERITIES);
            }
            List<String> notify = e.has("notify") ? e.strings("notify") : List.of("log", "index");
            for (String ch : notify) {
                if (!CHANNELS.contains(ch)) {
                    throw e.error("notify", "rule '" + id + "': field 'notify': unknown channel '" + ch + "' (use " + CHANNELS + ")");
                }
                if (!configured.contains(ch)) {
                    throw e.error("notify", "rule '" + id + "': field 'notify': channel '" + ch + "' is not configured: "
                            + (ch.equals("email") ? "set caravan.alert.email.host and caravan.alert.email.to"
                                    : "set caravan.alert.webhook.url") + ", or remove it from the rule");
                }
            }
            Duration cooldown = Duration.ofSeconds(Math.round(f.number("cooldown_minutes", 30, 0, 7 * 24 * 60) * 60));
            rules.add(new Rule(id, type, e.optionalString("description"), severity, e.optionalString("dataset"), cooldown,
                    List.copyOf(notify), detector(type, e, f, id)));
        }
        return List.copyOf(rules);
    }

    private static Detector detector(String type, RuleFile.Entry e, Fields f, String id) {
        return switch (type) {
            case "threshold" -> {
                String metric = e.string("metric");
                if (!WindowStats.METRICS.contains(metric)) {
                    throw e.error("metric", "rule '" + id + "': field 'metric': unknown metric '" + metric + "' (use one of "
                            + WindowStats.METRICS + ")");
                }
                yield new ThresholdDetector(metric, f.required("above", 0, Double.MAX_VALUE),
                        (int) f.whole("for_windows", 1, 1, 1440), f.whole("min_requests", 1, 0, Long.MAX_VALUE));
            }
            case "per_ip" -> {
                String metric = e.string("metric");
                if (!PerIpDetector.METRICS.contains(metric)) {
                    throw e.error("metric", "rule '" + id + "': field 'metric': unknown metric '" + metric + "' (use one of "
                            + PerIpDetector.METRICS + ")");
                }
                yield new PerIpDetector(metric, (long) f.required("above", 0, Long.MAX_VALUE));
            }
            case "spike" -> new SpikeDetector(f.number("alpha", 0.3, 0.01, 1), f.number("z", 4, 0.5, 1000),
                    f.number("min_ratio", 3, 1, 1e6), (int) f.whole("min_baseline", 10, 2, 10_000), f.whole("min_requests", 1, 0, Long.MAX_VALUE));
            case "latency_anomaly" -> new LatencyAnomalyDetector(f.number("z", 5, 0.5, 1000), f.whole("min_samples", 10, 1, Long.MAX_VALUE),
                    (int) f.whole("min_baseline", 5, 2, 10_000), f.number("min_ms", 100, 0, 1e9));
            case "new_attacker" -> new NewAttackerDetector(f.whole("min_hits", 5, 1, Long.MAX_VALUE),
                    Duration.ofHours(f.whole("lookback_hours", 24, 1, 24 * 90)));
            default -> throw new IllegalStateException(type);
        };
    }

    /** Numbers with the rule and field in every complaint. */
    private record Fields(RuleFile.Entry e, String id) {
        double required(String key, double min, double max) {
            if (!e.has(key)) {
                throw e.error(key, "rule '" + id + "': field '" + key + "' is required");
            }
            return number(key, 0, min, max);
        }

        double number(String key, double otherwise, double min, double max) {
            String v = e.optionalString(key);
            if (v == null) {
                return otherwise;
            }
            double d;
            try {
                d = Double.parseDouble(v.trim());
            } catch (NumberFormatException ex) {
                throw e.error(key, "rule '" + id + "': field '" + key + "': '" + v + "' is not a number");
            }
            if (!(d >= min && d <= max)) {
                throw e.error(key, "rule '" + id + "': field '" + key + "': " + v + " is out of range (" + ThresholdDetector.fmt(min)
                        + " to " + ThresholdDetector.fmt(max) + ")");
            }
            return d;
        }

        long whole(String key, long otherwise, long min, long max) {
            String v = e.optionalString(key);
            if (v == null) {
                return otherwise;
            }
            long n;
            try {
                n = Long.parseLong(v.trim());
            } catch (NumberFormatException ex) {
                throw e.error(key, "rule '" + id + "': field '" + key + "': '" + v + "' is not a whole number");
            }
            if (n < min || n > max) {
                throw e.error(key, "rule '" + id + "': field '" + key + "': " + n + " is out of range (" + min + " to " + max + ")");
            }
            return n;
        }
    }
}
