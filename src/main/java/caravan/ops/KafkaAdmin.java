package caravan.ops;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** One lazily created Kafka admin client for the health check and the lag gauge. */
final class KafkaAdmin implements AutoCloseable {
    private final Properties config;
    private Admin admin;

    /** @param connection from {@link KafkaClients#connection}: the brokers and the security block */
    KafkaAdmin(Properties connection) {
        config = new Properties();
        config.putAll(connection);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        config.put(AdminClientConfig.CLIENT_ID_CONFIG, "caravan-ops");
    }

    synchronized Admin get() {
        if (admin == null) {
            admin = Admin.create(config);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
            admin = null;
        }
    }
}
