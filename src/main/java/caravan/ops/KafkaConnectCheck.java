package caravan.ops;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The Kafka half of {@code caravan check --connect}: connects with the real settings (the same
 * {@link KafkaClients#connection} as every client) and says, one line each, how it connected (TLS,
 * authentication), which cluster answered, and whether Caravan's topics exist with how many
 * partitions; missing topics are created when {@code caravan.kafka.create-topics} is on.
 */
final class KafkaConnectCheck {
    private static final long TIMEOUT_S = 15;
    private final Function<String, String> setting;
    private final PrintWriter out;
    private final List<String> errors = new ArrayList<>();

    KafkaConnectCheck(Function<String, String> setting, PrintWriter out) {
        this.setting = setting;
        this.out = out;
    }

    /** @return the problems found, one line each (empty when Caravan can use this Kafka) */
    List<String> run() {
        Properties config;
        try {
            config = KafkaClients.connection(setting);
        } catch (IllegalArgumentException e) {
            return List.of("kafka: " + e.getMessage());
        }
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "caravan-check");
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        // One attempt's worth of reconnects: a wrong address should fail the check, not hang it.
        config.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        try (Admin admin = Admin.create(config)) {
            DescribeClusterResult cluster = admin.describeCluster();
            int brokers = get(cluster.nodes()).size();
            out.println("kafka: connected to " + setting.apply("caravan.kafka.brokers").trim() + ": " + security());
            out.println("kafka: cluster " + get(cluster.clusterId()) + ", " + brokers + " broker(s), " + version(admin));
            topic(admin, "caravan.kafka.topic.raw", "caravan.kafka.topic.retention-hours", true);
            topic(admin, "caravan.kafka.topic.dlq", "caravan.kafka.topic.dlq-retention-hours", false);
            topic(admin, "caravan.kafka.topic.dlq-parked", "caravan.kafka.topic.dlq-retention-hours", false);
        } catch (CheckFailed e) {
            errors.add(e.getMessage());
        }
        return errors;
    }

    /** The TLS and authentication line, for a connection that worked. */
    private String security() {
        String protocol = setting.apply(KafkaClients.PROTOCOL).trim().toUpperCase(java.util.Locale.ROOT);
        if (protocol.equals("PLAINTEXT")) {
            return "PLAINTEXT (no TLS, no authentication)";
        }
        String trust = setting.apply("caravan.kafka.ssl.truststore.location").trim();
        String tls = "TLS ok, broker certificate trusted (" + (trust.isEmpty() ? "the JVM's CAs" : trust) + ")"
                + (Boolean.parseBoolean(setting.apply("caravan.kafka.ssl.verify-hostname").trim()) ? ", host name verified" : ", host name NOT verified")
                + (setting.apply("caravan.kafka.ssl.keystore.location").isBlank() ? "" : ", client certificate sent");
        if (protocol.equals("SSL")) {
            return tls;
        }
        return tls + "; SASL " + setting.apply("caravan.kafka.sasl.mechanism").trim() + " authenticated as '"
                + setting.apply("caravan.kafka.sasl.username").trim() + "'";
    }

    private static String version(Admin admin) {
        try {
            FeatureMetadata f = admin.describeFeatures().featureMetadata().get(TIMEOUT_S, TimeUnit.SECONDS);
            var mv = f.finalizedFeatures().get("metadata.version");
            return mv == null ? "ZooKeeper mode or pre-3.3 broker (no metadata.version)"
                    : "KRaft, metadata.version level " + mv.maxVersionLevel();
        } catch (Exception e) {
            return "version not reported (" + e.getClass().getSimpleName() + ")";
        }
    }

    private void topic(Admin admin, String key, String retentionKey, boolean raw) {
        String name = setting.apply(key).trim();
        int partitions = Integer.parseInt(setting.apply("caravan.kafka.topic.partitions").trim());
        int indexers = Integer.parseInt(setting.apply("caravan.index.instances").trim());
        TopicDescription d = describe(admin, name);
        if (d == null) {
            if (!Boolean.parseBoolean(setting.apply("caravan.kafka.create-topics").trim())) {
                errors.add("kafka: topic " + name + " does not exist: create it, or set caravan.kafka.create-topics=true"
                        + " and run check --connect again");
                return;
            }
            create(admin, name, partitions, retentionKey);
            return;
        }
        int have = d.partitions().size();
        int replication = d.partitions().isEmpty() ? 0 : d.partitions().get(0).replicas().size();
        out.println("kafka: topic " + name + " exists: " + have + " partition(s), replication " + replication);
        if (raw && have < indexers) {
            out.println("warning: kafka: topic " + name + " has " + have + " partition(s) for caravan.index.instances="
                    + indexers + ": " + (indexers - have) + " indexer(s) would get no partition; add partitions"
                    + " (kafka-topics --alter --partitions " + indexers + ")");
        }
    }

    private TopicDescription describe(Admin admin, String name) {
        try {
            return admin.describeTopics(List.of(name)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS).get(name);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;
            }
            throw failed(e.getCause());
        } catch (Exception e) {
            throw failed(e);
        }
    }

    private void create(Admin admin, String name, int partitions, String retentionKey) {
        int replication = Integer.parseInt(setting.apply("caravan.kafka.topic.replication").trim());
        long hours = Long.parseLong(setting.apply(retentionKey).trim());
        NewTopic t = new NewTopic(name, Optional.of(partitions), replication > 0 ? Optional.of((short) replication) : Optional.empty())
                .configs(Map.of("retention.ms", Long.toString(TimeUnit.HOURS.toMillis(hours))));
        try {
            admin.createTopics(List.of(t)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
            out.println("kafka: topic " + name + " created: " + partitions + " partition(s), replication "
                    + (replication > 0 ? replication : "the brokers' default") + ", retention " + hours + " h");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                out.println("kafka: topic " + name + " was created meanwhile by someone else");
                return;
            }
            errors.add("kafka: topic " + name + " could not be created: " + e.getCause().getMessage()
                    + " (caravan.kafka.topic.partitions / caravan.kafka.topic.replication)");
        } catch (Exception e) {
            throw failed(e);
        }
    }

    private <T> T get(org.apache.kafka.common.KafkaFuture<T> f) {
        try {
            return f.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw failed(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failed(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw failed(e);
        }
    }

    /** One line that says what failed and which setting to look at. */
    private CheckFailed failed(Throwable e) {
        String brokers = setting.apply("caravan.kafka.brokers").trim();
        String protocol = setting.apply(KafkaClients.PROTOCOL).trim();
        if (e instanceof SaslAuthenticationException) {
            return new CheckFailed("kafka: authentication refused for user '" + setting.apply("caravan.kafka.sasl.username").trim()
                    + "' (" + setting.apply("caravan.kafka.sasl.mechanism").trim() + "): " + e.getMessage()
                    + "; check caravan.kafka.sasl.username and the password (CARAVAN_KAFKA_SASL_PASSWORD or caravan.kafka.sasl.password-file)");
        }
        if (e instanceof SslAuthenticationException) {
            String root = rootMessage(e);
            String trust = setting.apply("caravan.kafka.ssl.truststore.location").trim();
            String keys = setting.apply("caravan.kafka.ssl.keystore.location").trim();
            if (root.contains("certification path") || root.contains("PKIX")) {
                return new CheckFailed("kafka: TLS handshake with " + brokers + " failed, the broker's certificate is not trusted"
                        + " (caravan.kafka.ssl.truststore.location: " + (trust.isEmpty() ? "unset, the JVM's CAs" : trust) + "): " + root);
            }
            if (root.contains("certificate_required") || root.contains("bad_certificate") || root.contains("unknown_ca")) {
                return new CheckFailed("kafka: TLS handshake with " + brokers + " failed, the broker refused Caravan's client"
                        + " certificate (caravan.kafka.ssl.keystore.location: " + (keys.isEmpty() ? "unset, none sent" : keys) + "): " + root);
            }
            return new CheckFailed("kafka: TLS handshake with " + brokers + " failed: " + root);
        }
        if (e instanceof java.util.concurrent.TimeoutException || e instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new CheckFailed("kafka: no answer from " + brokers + " within " + TIMEOUT_S + " s over " + protocol
                    + ": check caravan.kafka.brokers and that the listener there speaks " + protocol);
        }
        return new CheckFailed("kafka: " + e.getClass().getSimpleName() + ": " + rootMessage(e));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    /** Ends the check at the first failure that makes the rest meaningless. */
    private static final class CheckFailed extends RuntimeException {
        CheckFailed(String message) {
            super(message, null, false, false);
        }
    }
}
