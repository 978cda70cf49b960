package caravan.ops;

import caravan.common.Secrets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * The one place that turns Caravan's Kafka settings into client properties: the bootstrap servers
 * and the security block ({@code caravan.kafka.security.protocol}, {@code caravan.kafka.sasl.*},
 * {@code caravan.kafka.ssl.*}).
 *
 * <p>The camel {@code kafka} component gets {@link #security} as additional properties, so the ship
 * producer, the index consumer and the DLQ publisher all use it; the raw clients (admin and lag,
 * {@code replay}, {@code file}, {@code check --connect}) are built from {@link #connection}. Secrets
 * come from the environment or from the file a {@code *-file} key names, never from a settings file.
 */
public final class KafkaClients {
    static final String PROTOCOL = "caravan.kafka.security.protocol";

    private KafkaClients() {
    }

    /** Bootstrap servers plus {@link #security}: what any raw Kafka client of Caravan starts from. */
    public static Properties connection(Function<String, String> setting) {
        Properties p = new Properties();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, value(setting, "caravan.kafka.brokers"));
        p.putAll(security(setting));
        return p;
    }

    /**
     * The security properties; for PLAINTEXT only {@code security.protocol}.
     *
     * @throws IllegalArgumentException naming the key to fix, when the block does not hold together
     */
    public static Map<String, Object> security(Function<String, String> setting) {
        String protocol = value(setting, PROTOCOL).toUpperCase(Locale.ROOT);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol);
        boolean tls = protocol.equals("SSL") || protocol.equals("SASL_SSL");
        boolean sasl = protocol.equals("SASL_SSL");
        if (!tls && !protocol.equals("PLAINTEXT")) {
            throw new IllegalArgumentException(PROTOCOL + " '" + protocol + "' is not one of PLAINTEXT, SSL, SASL_SSL");
        }
        String user = value(setting, "caravan.kafka.sasl.username");
        if (!sasl && !user.isEmpty()) {
            throw new IllegalArgumentException("caravan.kafka.sasl.username is set but " + PROTOCOL + " is " + protocol
                    + ": set it to SASL_SSL to authenticate (or clear the username)");
        }
        if (!tls) {
            String store = value(setting, "caravan.kafka.ssl.truststore.location") + value(setting, "caravan.kafka.ssl.keystore.location");
            if (!store.isEmpty()) {
                throw new IllegalArgumentException("caravan.kafka.ssl.* stores are set but " + PROTOCOL
                        + " is PLAINTEXT: set it to SSL or SASL_SSL");
            }
            return p;
        }
        store(setting, p, "truststore");
        store(setting, p, "keystore");
        if (!Boolean.parseBoolean(value(setting, "caravan.kafka.ssl.verify-hostname"))) {
            p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
        }
        if (sasl) {
            String mechanism = value(setting, "caravan.kafka.sasl.mechanism").toUpperCase(Locale.ROOT);
            String password = Secrets.secret(setting.apply("caravan.kafka.sasl.password"),
                    setting.apply("caravan.kafka.sasl.password-file"));
            if (user.isEmpty() || password == null || password.isEmpty()) {
                throw new IllegalArgumentException(PROTOCOL + " is SASL_SSL but caravan.kafka.sasl."
                        + (user.isEmpty() ? "username" : "password") + " is empty: set "
                        + (user.isEmpty() ? "caravan.kafka.sasl.username"
                        : "CARAVAN_KAFKA_SASL_PASSWORD or caravan.kafka.sasl.password-file"));
            }
            p.put(SaslConfigs.SASL_MECHANISM, mechanism);
            p.put(SaslConfigs.SASL_JAAS_CONFIG, jaas(mechanism, user, password));
        }
        return p;
    }

    /** What is wrong with the security block in these settings, before any client is built: empty or one line. */
    static java.util.List<String> problems(Properties settings) {
        try {
            security(k -> settings.getProperty(k, ""));
            return java.util.List.of();
        } catch (IllegalArgumentException e) {
            return java.util.List.of(e.getMessage());
        }
    }

    /** The login line for the mechanism; user and password quoted, as JAAS wants. */
    static String jaas(String mechanism, String user, String password) {
        String module = switch (mechanism) {
            case "PLAIN" -> "org.apache.kafka.common.security.plain.PlainLoginModule";
            case "SCRAM-SHA-256", "SCRAM-SHA-512" -> "org.apache.kafka.common.security.scram.ScramLoginModule";
            default -> throw new IllegalArgumentException("caravan.kafka.sasl.mechanism '" + mechanism
                    + "' is not one of SCRAM-SHA-256, SCRAM-SHA-512, PLAIN");
        };
        return module + " required username=" + quote(user) + " password=" + quote(password) + ";";
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** ssl.truststore.* or ssl.keystore.*: location, type, and the password (none for a PEM file). */
    private static void store(Function<String, String> setting, Map<String, Object> p, String kind) {
        String prefix = "caravan.kafka.ssl." + kind + ".";
        String location = value(setting, prefix + "location");
        if (location.isEmpty()) {
            return; // the JVM's default trust store; no client certificate
        }
        if (!java.nio.file.Files.isReadable(java.nio.file.Path.of(location))) {
            throw new IllegalArgumentException(prefix + "location '" + location + "' cannot be read");
        }
        String type = value(setting, prefix + "type").toUpperCase(Locale.ROOT);
        p.put("ssl." + kind + ".location", location);
        p.put("ssl." + kind + ".type", type);
        String password = Secrets.secret(setting.apply(prefix + "password"), setting.apply(prefix + "password-file"));
        if (password != null && !password.isEmpty() && !type.equals("PEM")) {
            p.put("ssl." + kind + ".password", password);
        }
    }

    private static String value(Function<String, String> setting, String key) {
        String v = setting.apply(key);
        return v == null ? "" : v.trim();
    }
}
