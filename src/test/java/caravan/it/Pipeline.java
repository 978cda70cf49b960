package caravan.it;

import caravan.devstack.DevStack;
import caravan.index.SearchClient;
import caravan.ops.CaravanRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;

/**
 * A Caravan pipeline on the shared devstack, isolated from other tests by its own topic, consumer
 * group and index namespace, with the waits integration tests need.
 */
public final class Pipeline implements AutoCloseable {
    public final DevStack stack = DevStack.shared();
    public final String id = UUID.randomUUID().toString().substring(0, 8);
    public final String topic = "logs-raw-" + id;
    public final String group = "caravan-indexer-" + id;
    public final String namespace = "it" + id;
    public final Path dir;
    public final Path routes;
    /** This pipeline's metrics and health port: a free one, as other builds may run on the machine. */
    public final int httpPort = freePort();
    private CaravanRuntime runtime;

    public Pipeline() throws Exception {
        dir = Files.createTempDirectory("caravan-it-");
        routes = Files.createDirectories(dir.resolve("routes"));
    }

    /** Settings for this pipeline; tests may add to them before {@link #start}. */
    public Properties properties() {
        Properties p = new Properties();
        p.setProperty("caravan.kafka.brokers", stack.kafkaBootstrap());
        p.setProperty("caravan.elasticsearch.urls", stack.elasticsearchUrl());
        p.setProperty("caravan.kafka.topic.raw", topic);
        p.setProperty("caravan.kafka.topic.dlq", "logs-dlq-" + id);
        p.setProperty("caravan.index.group", group);
        p.setProperty("caravan.index.namespace", namespace);
        p.setProperty("caravan.index.template.replicas", "0");
        p.setProperty("caravan.index.template.refresh", "1s");
        p.setProperty("caravan.index.batch.poll-ms", "200");
        p.setProperty("caravan.routes.dir", routes.toString());
        p.setProperty("caravan.http.port", Integer.toString(httpPort));
        return p;
    }

    /** Writes a YAML source route that tails {@code file} with the given format. */
    public void tailRoute(String routeId, Path file, String format, Path checkpoints) throws Exception {
        Files.writeString(routes.resolve(routeId + ".yaml"), """
                - route:
                    id: %s
                    from:
                      uri: "tail:%s"
                      parameters: {format: %s, startPosition: beginning, pollDelay: 50, checkpointDir: "%s"}
                      steps:
                        - to: "direct:ship"
                """.formatted(routeId, file, format, checkpoints));
    }

    public CaravanRuntime start(Properties p) throws Exception {
        runtime = new CaravanRuntime(null, p).start();
        return runtime;
    }

    public CaravanRuntime runtime() {
        return runtime;
    }

    public void stop() {
        if (runtime != null) {
            runtime.close();
            runtime = null;
        }
    }

    static int freePort() {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** GET on this pipeline's management server: status code and body. */
    public java.net.http.HttpResponse<String> http(String path) throws Exception {
        var client = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        return client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + httpPort + path))
                .timeout(Duration.ofSeconds(20)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    public String indices() {
        return "logs-*-" + namespace + "-*";
    }

    public SearchClient search() {
        return new SearchClient(runtime.elasticsearch());
    }

    public long count() throws Exception {
        SearchClient es = search();
        es.refresh(indices());
        return es.count(indices());
    }

    public Map<String, Long> terms(String field) throws Exception {
        SearchClient es = search();
        es.refresh(indices());
        return es.terms(indices(), field, 100);
    }

    /** Waits until Elasticsearch holds {@code expected} documents of this pipeline. */
    public void awaitCount(long expected, Duration timeout) {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> count() >= expected);
    }

    /** Waits until the indexer group has committed every record on the topic, and returns that count. */
    public long awaitAllCommitted(long expectedRecords, Duration timeout) throws Exception {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> committed() >= expectedRecords);
        return committed();
    }

    public long committed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            Collection<OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS).values();
            return offsets.stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    /** Like {@link #topicRecords()}, 0 while the topic does not exist yet. */
    public long topicRecordsOrZero() {
        try {
            return topicRecords();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Records on this pipeline's topic (sum of end offsets). */
    public long topicRecords() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            var parts = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(topic).partitions();
            Map<TopicPartition, OffsetSpec> q = new java.util.HashMap<>();
            parts.forEach(p -> q.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(q).all().get(10, TimeUnit.SECONDS);
            return ends.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
