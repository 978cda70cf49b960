package caravan.it;

import caravan.common.FileTrees;
import caravan.devstack.DevStack;
import caravan.ops.CaravanRuntime;
import caravan.search.SearchClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

/**
 * A Caravan pipeline on the shared devstack, isolated from other tests by its own topic, consumer
 * group and index namespace, with the waits integration tests need.
 */
public final class Pipeline implements AutoCloseable {

    public final DevStack stack = DevStack.shared();
    private TopicLines lines;
    public final String id = UUID.randomUUID().toString().substring(0, 8);
    public final String topic = "logs-raw-" + id;
    public final String group = "caravan-indexer-" + id;
    public final String namespace = "it" + id;
    public final Path dir;
    public final Path routes;
    /** This pipeline's metrics and health port: a free one, as other builds may run on the machine. */
    public final int httpPort = freePort();
    private CaravanRuntime runtime;
    private org.elasticsearch.client.RestClient esClient;

    /** The search engine's URL: the shared devstack's Elasticsearch 9 unless a test gives another. */
    public final String searchUrl;

    public Pipeline() throws Exception {
        this(null);
    }

    /** A pipeline on the shared Kafka and the search engine at {@code searchUrl} (null: the devstack's). */
    public Pipeline(String searchUrl) throws Exception {
        this.searchUrl = searchUrl != null ? searchUrl : stack.elasticsearchUrl();
        dir = Files.createTempDirectory("caravan-it-");
        routes = Files.createDirectories(dir.resolve("routes"));
    }

    /** Settings for this pipeline; tests may add to them before {@link #start}. */
    public Properties properties() {
        Properties p = TestSettings.indexing(stack.kafkaBootstrap(), searchUrl, topic, dlqTopic(), group, namespace,
                routes);
        p.setProperty("caravan.kafka.topic.dlq-parked", parkedTopic());
        p.setProperty("caravan.dlq.replay.group", "caravan-replay-" + id);
        p.setProperty("caravan.index.batch.poll-ms", "200");
        p.setProperty("caravan.http.port", Integer.toString(httpPort));
        // Alerting and the API only where a test asks for them (AlertsIT): TestSettings turns them off.
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

    /** Calls on the devstack's Elasticsearch that need no running pipeline. */
    public SearchClient esClient() {
        synchronized (this) {
            if (esClient == null) {
                esClient = caravan.search.ElasticsearchClients.create(searchUrl, null, null, null);
            }
        }
        return new SearchClient(esClient);
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
        // A new daily index answers 503 until its shard has started: not an answer yet, ask again.
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> count() >= expected);
    }

    /** Waits until the indexer group has committed at least {@code expectedLines} lines of the topic, and returns how many. */
    public long awaitAllCommitted(long expectedLines, Duration timeout) throws Exception {
        Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> committed() >= expectedLines);
        return committed();
    }

    /** The lines of the records the indexer group has committed (a record of the shipper's holds several). */
    public long committed() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            Map<TopicPartition, Long> at = new java.util.HashMap<>();
            offsets.forEach((tp, o) -> {
                if (o != null && tp.topic().equals(topic)) {
                    at.put(tp, o.offset());
                }
            });
            return lines().before(at);
        }
    }

    /** Like {@link #topicLines()}, 0 while the topic does not exist yet. */
    public long topicLinesOrZero() {
        try {
            return topicLines();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Lines on this pipeline's topic: its records' lines ({@link TopicLines}). */
    public long topicLines() {
        return lines().total();
    }

    private synchronized TopicLines lines() {
        if (lines == null) {
            lines = new TopicLines(stack.kafkaBootstrap(), topic);
        }
        return lines;
    }

    /** Records on a topic (sum of end offsets), 0 if it does not exist. */
    public long topicRecords(String name) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(name)) {
                return 0;
            }
            var parts = admin.describeTopics(java.util.List.of(name)).allTopicNames().get(10, TimeUnit.SECONDS)
                    .get(name).partitions();
            Map<TopicPartition, OffsetSpec> q = new java.util.HashMap<>();
            parts.forEach(p -> q.put(new TopicPartition(name, p.partition()), OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(q).all().get(10, TimeUnit.SECONDS);
            return ends.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }

    public String dlqTopic() {
        return "logs-dlq-" + id;
    }

    public String parkedTopic() {
        return "logs-dlq-parked-" + id;
    }

    /** Creates this pipeline's raw topic with several partitions (auto-created topics have one). */
    public void createTopic(int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            admin.createTopics(java.util.List.of(new org.apache.kafka.clients.admin.NewTopic(topic, partitions, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Sends records to a topic and waits until Kafka has acknowledged them all. */
    public void produce(String toTopic, java.util.List<ProducerRecord<String, byte[]>> records) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"), new StringSerializer(), new ByteArraySerializer())) {
            java.util.List<java.util.concurrent.Future<?>> acks = new java.util.ArrayList<>(records.size());
            for (ProducerRecord<String, byte[]> r : records) {
                acks.add(producer.send(new ProducerRecord<>(toTopic, r.partition(), r.key(), r.value(), r.headers())));
            }
            for (var a : acks) {
                a.get(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Every record on a topic, from the beginning to its end now. */
    public java.util.List<ConsumerRecord<String, byte[]>> readAll(String fromTopic) throws Exception {
        java.util.List<ConsumerRecord<String, byte[]>> out = new java.util.ArrayList<>();
        if (topicRecords(fromTopic) == 0) {
            return out;
        }
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new ByteArrayDeserializer())) {
            java.util.List<TopicPartition> parts = c.partitionsFor(fromTopic).stream()
                    .map(i -> new TopicPartition(fromTopic, i.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            Map<TopicPartition, Long> end = c.endOffsets(parts);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (parts.stream().anyMatch(tp -> c.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /** Every document id in this pipeline's indices. */
    public java.util.Set<String> ids() throws Exception {
        return ids(search());
    }

    /** Documents in this pipeline's indices, through a client of its own (no runtime in this JVM needed). */
    public long esCount() throws Exception {
        SearchClient es = esClient();
        es.refresh(indices());
        return es.count(indices());
    }

    /** {@link #ids()} without a runtime in this JVM. */
    public java.util.Set<String> esIds() throws Exception {
        return ids(esClient());
    }

    private java.util.Set<String> ids(SearchClient es) throws Exception {
        es.refresh(indices());
        java.util.Set<String> ids = new java.util.HashSet<>();
        var page = es.call("POST", "/" + indices() + "/_search?scroll=1m&ignore_unavailable=true&allow_no_indices=true",
                "{\"size\":10000,\"_source\":false,\"sort\":[\"_doc\"]}");
        while (true) {
            var hits = page.path("hits").path("hits");
            if (hits.isEmpty()) {
                break;
            }
            hits.forEach(h -> ids.add(h.path("_id").asText()));
            String scrollId = page.path("_scroll_id").asText();
            page = es.call("POST", "/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\"" + scrollId + "\"}");
        }
        return ids;
    }

    /** The running indexer's Elasticsearch circuit breaker. */
    public caravan.index.ElasticsearchBreaker breaker() {
        return runtime.context().getRegistry().lookupByNameAndType(caravan.index.IndexRoute.CIRCUIT,
                caravan.index.ElasticsearchBreaker.class);
    }

    /** The running indexer's hold on its Kafka consumer (paused or not). */
    public caravan.index.ConsumerControl consumerControl() {
        return runtime.context().getRegistry().lookupByNameAndType(caravan.index.IndexRoute.CONSUMER,
                caravan.index.ConsumerControl.class);
    }

    /** The indexer's readiness as the Camel health check reports it. */
    public org.apache.camel.health.HealthCheck.State health() {
        return org.apache.camel.health.HealthCheckRegistry.get(runtime.context())
                .getCheck(caravan.index.ElasticsearchHealthCheck.ID).orElseThrow().call().getState();
    }

    /** Writes settings to a file, for a child process or a command's --config. */
    public Path writeConfig(Properties p, String name) throws Exception {
        Path file = dir.resolve(name);
        try (var out = Files.newBufferedWriter(file)) {
            p.store(out, "caravan integration test " + id);
        }
        return file;
    }

    /** Runs {@code caravan <args> --config <file>} in this JVM and returns what it printed. */
    public String caravan(Path config, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "--config";
        all[args.length + 1] = config.toString();
        int code = caravan.ops.Caravan.commandLine().setOut(new java.io.PrintWriter(out, true))
                .setErr(new java.io.PrintWriter(err, true)).execute(all);
        if (code != 0) {
            throw new IllegalStateException("caravan " + String.join(" ", all) + " exited " + code + ": " + err + out);
        }
        return out.toString();
    }

    @Override
    public void close() {
        stop();
        synchronized (this) {
            if (lines != null) {
                lines.close();
            }
        }
        try {
            // Its routes, tailed logs and checkpoints: left behind, each suite run added about a hundred directories to /tmp.
            FileTrees.delete(dir);
        } catch (java.io.IOException e) {
            System.err.println("Pipeline: could not delete " + dir + ": " + e);
        }
        if (esClient != null) {
            try {
                esClient.close();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
