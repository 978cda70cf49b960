package caravan.ops;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

/**
 * Catches configuration mistakes at start-up, each with the key and the fix: an unknown
 * {@code caravan.*} key (with the nearest known key), or a value of the wrong kind.
 *
 * <p>The known keys and their kinds come from the jar's own defaults: a key whose default is a
 * number must be a number, a boolean must be {@code true} or {@code false}. A few keys with a
 * closed set of values are checked against it.
 */
public final class ConfigValidator {
    private static final Map<String, Set<String>> CHOICES = Map.of(
            "caravan.ship.kafka.compression", Set.of("none", "gzip", "snappy", "lz4", "zstd"),
            "caravan.alert.webhook.format", Set.of("json", "slack"),
            "caravan.alert.email.security", Set.of("none", "starttls", "tls"),
            "caravan.kafka.security.protocol", Set.of("PLAINTEXT", "SSL", "SASL_SSL"),
            "caravan.kafka.sasl.mechanism", Set.of("SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"),
            "caravan.kafka.ssl.truststore.type", Set.of("PKCS12", "JKS", "PEM"),
            "caravan.kafka.ssl.keystore.type", Set.of("PKCS12", "JKS"));
    /** Secrets that come only from the environment or a {@code *-file} key, never from a settings file. */
    private static final Set<String> SECRETS = Set.of("caravan.kafka.sasl.password", "caravan.kafka.ssl.truststore.password",
            "caravan.kafka.ssl.keystore.password");
    /** Variables Caravan reads itself that are not settings (log4j2.properties). */
    private static final Set<String> NOT_SETTINGS = Set.of("CARAVAN_LOG_FORMAT", "CARAVAN_LOG_LEVEL");
    /** Whole-number keys where 0 makes no sense (a window of 0 seconds, port 0). */
    private static final Set<String> POSITIVE = Set.of("caravan.alert.window-seconds", "caravan.alert.interval-seconds",
            "caravan.alert.rules-reload-seconds", "caravan.alert.catch-up-windows", "caravan.alert.history-windows",
            "caravan.alert.top-n", "caravan.alert.endpoints", "caravan.alert.lease-ttl-seconds",
            "caravan.alert.webhook.timeout-seconds", "caravan.alert.email.port", "caravan.api.max-size",
            "caravan.enrich.rules-reload-seconds", "caravan.kafka.topic.partitions", "caravan.index.instances",
            "caravan.ship.kafka.buffer-memory", "caravan.ship.kafka.batch-size", "caravan.ship.kafka.lines-per-record",
            "caravan.ship.kafka.max-record-bytes", "caravan.index.batch.partition-fetch-bytes");

    private final Properties defaults;

    public ConfigValidator() {
        this(loadDefaults());
    }

    ConfigValidator(Properties defaults) {
        this.defaults = defaults;
    }

    /** Caravan's built-in {@code application.properties}: every key and its default. */
    public static Properties loadDefaults() {
        Properties p = new Properties();
        try (InputStream in = ConfigValidator.class.getResourceAsStream("/application.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in defaults", e);
        }
        return p;
    }

    public Set<String> knownKeys() {
        Set<String> keys = new TreeSet<>();
        for (String k : defaults.stringPropertyNames()) {
            if (k.startsWith("caravan.")) {
                keys.add(k);
            }
        }
        return keys;
    }

    /**
     * Checks settings from one origin (a file, the environment, the command line).
     *
     * @param origin where they came from, for the message
     * @return one message per problem, empty when all is well
     */
    public List<String> validate(Map<String, String> settings, String origin) {
        List<String> errors = new ArrayList<>();
        Set<String> known = knownKeys();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith("caravan.")) {
                continue; // camel.* and others are Camel's to check
            }
            if (!known.contains(key)) {
                String near = nearest(key, known);
                errors.add("unknown setting '" + key + "' in " + origin
                        + (near != null ? ": did you mean '" + near + "'?" : ": remove it (known keys are listed in application.properties)"));
                continue;
            }
            String problem = checkValue(key, e.getValue() == null ? "" : e.getValue().trim());
            if (problem != null) {
                errors.add("bad value for '" + key + "' in " + origin + ": " + problem);
            }
        }
        return errors;
    }

    /**
     * Settings from a properties file: {@link #validate}, and a secret with a value is refused (it
     * belongs in the environment or in the file its {@code -file} key names).
     */
    public List<String> validateFile(Map<String, String> settings, String file) {
        List<String> errors = validate(settings, file);
        Set<String> known = knownKeys();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(settings).entrySet()) {
            String key = e.getKey();
            String v = e.getValue();
            // the listed ones, and any key that has a -file sibling (API keys, passwords, tokens)
            if ((SECRETS.contains(key) || known.contains(key + "-file")) && v != null && !v.isBlank()) {
                errors.add("secret '" + key + "' in " + file + ": secrets never go in a settings file; set "
                        + envName(key) + " or " + key + "-file");
            }
        }
        return errors;
    }

    /**
     * The {@code CARAVAN_*} environment variables that name a known setting, as the keys they stand
     * for, and one warning for the others (Kubernetes adds {@code CARAVAN_SERVICE_HOST},
     * {@code CARAVAN_PORT_9876_TCP}... for a Service named caravan): they are ignored, never refused.
     */
    public Environment fromEnvironment(Map<String, String> env) {
        Map<String, String> out = new java.util.TreeMap<>();
        Map<String, String> byEnvName = new java.util.HashMap<>();
        for (String k : knownKeys()) {
            byEnvName.put(envName(k), k);
        }
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("CARAVAN_") || NOT_SETTINGS.contains(name)) {
                continue;
            }
            String key = byEnvName.get(name);
            if (key != null) {
                out.put(key, e.getValue());
            } else {
                String near = nearest(name, byEnvName.keySet());
                ignored.add(near == null ? name : name + " (did you mean " + near + "?)");
            }
        }
        String warning = ignored.isEmpty() ? null : "ignoring " + ignored.size() + " CARAVAN_* environment variable(s) that name no setting: "
                + String.join(", ", ignored) + " (Kubernetes service links set some; enableServiceLinks: false drops them)";
        return new Environment(out, warning);
    }

    /**
     * Caravan's settings found in the environment.
     *
     * @param warning one line about the variables that were ignored, or null
     */
    public record Environment(Map<String, String> settings, String warning) {
    }

    public static String envName(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private String checkValue(String key, String value) {
        String def = defaults.getProperty(key, "").trim();
        Set<String> choices = CHOICES.get(key);
        if (choices != null && !choices.contains(value)) {
            return "'" + value + "' is not one of " + new TreeSet<>(choices);
        }
        if (key.equals("caravan.alert.webhook.url") && !value.isEmpty() && !value.matches("https?://[^/\\s]+.*")) {
            return "'" + value + "' is not an http(s) URL: use e.g. https://hooks.slack.com/services/... (or leave it empty for no webhook)";
        }
        if (def.equals("true") || def.equals("false")) {
            if (!value.equals("true") && !value.equals("false")) {
                return "'" + value + "' is not true or false";
            }
        } else if (!def.isEmpty() && def.chars().allMatch(Character::isDigit)) {
            try {
                long n = Long.parseLong(value);
                if (n < 0) {
                    return "'" + value + "' must not be negative";
                }
                if (n == 0 && POSITIVE.contains(key)) {
                    return "'0' is not allowed: use at least 1 (the default is " + def + ")";
                }
                if (key.endsWith(".port") && n > 65535) {
                    return "'" + value + "' is not a port (1 to 65535)";
                }
            } catch (NumberFormatException ex) {
                return "'" + value + "' is not a whole number (the default is " + def + ")";
            }
        }
        return null;
    }

    /** The known key closest by edit distance, if it is close enough to be a typo. */
    static String nearest(String key, Set<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key, k);
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return bestDistance <= Math.max(3, key.length() / 5) ? best : null;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
