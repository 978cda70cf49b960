package caravan.it;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The settings every test, soak and benchmark pipeline on the devstack starts from: one place, so a
 * key the runtime starts to need reaches them all. Callers add what is theirs.
 */
public final class TestSettings {
    private TestSettings() {
    }

    /**
     * An indexer of {@code topic} into {@code searchUrl} under {@code namespace}, one replica-less
     * template with a 1 s refresh, and no alerting or API unless a test asks for them.
     */
    public static Properties indexing(String brokers, String searchUrl, String topic, String dlqTopic, String group,
                                      String namespace, Path routes) {
        Properties p = new Properties();
        p.setProperty("caravan.kafka.brokers", brokers);
        p.setProperty("caravan.elasticsearch.urls", searchUrl);
        p.setProperty("caravan.kafka.topic.raw", topic);
        p.setProperty("caravan.kafka.topic.dlq", dlqTopic);
        p.setProperty("caravan.index.group", group);
        p.setProperty("caravan.index.namespace", namespace);
        p.setProperty("caravan.index.template.replicas", "0");
        p.setProperty("caravan.index.template.refresh", "1s");
        p.setProperty("caravan.routes.dir", routes.toString());
        p.setProperty("caravan.alert.enabled", "false");
        p.setProperty("caravan.api.enabled", "false");
        return p;
    }
}
