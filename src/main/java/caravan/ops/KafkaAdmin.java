package caravan.ops;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/** One lazily created Kafka admin client for the health check and the lag gauge. */
final class KafkaAdmin implements AutoCloseable {
    private final String brokers;
    private Admin admin;

    KafkaAdmin(String brokers) {
        this.brokers = brokers;
    }

    synchronized Admin get() {
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                    AdminClientConfig.CLIENT_ID_CONFIG, "caravan-ops"));
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
