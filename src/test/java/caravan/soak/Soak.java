package caravan.soak;

import caravan.devstack.DevStack;
import caravan.it.RejectingProxy;
import caravan.it.TestSettings;
import caravan.search.ElasticsearchClients;
import caravan.search.SearchClient;
import caravan.soak.Faults.Done;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The soak (issue 15): one shipper following four rotating files and three indexers in one group,
 * as separate processes on the devstack, while lines are written at a steady rate and the plan's
 * faults land: SIGKILLs, SIGTERMs, an Elasticsearch stop, a Kafka stop, a minute of 429s (the
 * indexers reach Elasticsearch through {@link RejectingProxy}). Then it waits for the pipeline to
 * drain and gives the {@link Verdict}.
 *
 * <p>{@code java -cp <test class path> caravan.soak.Soak [--full] [--seed N] [--lines N --rate N]}:
 * starts its own devstack, prints the schedule, the verdict and the drain time, and exits 1 on any
 * difference. {@code bench/soak.sh} runs it at full size.
 */
public final class Soak {
    private static final Logger LOG = LoggerFactory.getLogger(Soak.class);

    /** What a run found. */
    public record Result(boolean ok, String report, double drainSeconds, Verdict verdict) {
    }

    private Soak() {
    }

    /**
     * Runs a soak on {@code stack} (whose Kafka and Elasticsearch it stops and starts again) in
     * {@code dir}, starting Caravan processes with {@code classpath}.
     */
    public static Result run(SoakConfig c, long seed, DevStack stack, Path dir, String classpath) throws Exception {
        SoakPlan plan = SoakPlan.of(c, seed);
        String id = UUID.randomUUID().toString().substring(0, 8);
        String topic = "logs-raw-soak-" + id;
        String namespace = "soak" + id;
        LOG.info("soak {}: {} lines into {} files at {}/s, rotation every {} lines, {} indexers on {} partitions, "
                        + "files and logs in {}\n{}", id, c.lines(), c.files(), c.linesPerSecond(), c.rotateEvery(),
                c.indexers(), c.partitions(), dir, plan);
        createTopic(stack.kafkaBootstrap(), topic, c.partitions());
        Path logs = Files.createDirectories(dir.resolve("logs"));
        SoakWriter writer = new SoakWriter(logs, c);
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(routes.resolve("soak.yaml"), """
                - route:
                    id: soak
                    from:
                      uri: "tail:%s"
                      parameters: {format: combined, startPosition: beginning, pollDelay: 50, checkpointDir: "%s"}
                      steps:
                        - to: "direct:ship"
                """.formatted(writer.glob(), dir.resolve("checkpoints")));
        try (RejectingProxy proxy = new RejectingProxy(stack.elasticsearchUrl(), 0, 0, seed);
             Fleet fleet = new Fleet(dir, settings(stack, proxy.url(), topic, id, namespace, routes), classpath);
             RestClient rest = ElasticsearchClients.create(stack.elasticsearchUrl(), null, null, null)) {
            SearchClient es = new SearchClient(rest);
            fleet.start("shipper");
            for (int i = 0; i < c.indexers(); i++) {
                fleet.start("indexer-" + i);
            }
            long started = System.currentTimeMillis();
            Faults faults = new Faults(fleet, stack, proxy);
            faults.start(plan, started);
            writer.run();
            long written = System.currentTimeMillis();
            LOG.info("soak {}: {} lines written in {} s, {} rotations", id, writer.written(), (written - started) / 1000,
                    writer.rotations());
            List<Done> done = faults.join();
            long quiet = Math.max(written, done.stream().mapToLong(Done::endedAt).max().orElse(written));
            String indices = "logs-*-" + namespace + "-*";
            boolean drained = awaitDrained(es, indices, stack.kafkaBootstrap(), topic, "caravan-indexer-" + id,
                    writer.written(), Duration.ofMinutes(Math.max(8, c.lines() / 50_000)));
            double drainSeconds = (System.currentTimeMillis() - quiet) / 1000.0;
            List<String> down = fleet.notRunning();
            Verdict v = Verdict.of(writer, es, indices, stack.kafkaBootstrap(), topic,
                    List.of("logs-dlq-soak-" + id, "logs-dlq-parked-soak-" + id), done);
            writer.close();
            String report = String.format("soak seed %d: %s%ndrain %s %.1f s after the last fault (last fault over %.1f s "
                            + "after writing began, writing took %.1f s); %d rotations; process starts %s%s%n",
                    seed, v.ok() && drained && down.isEmpty() ? "PASS" : "FAIL", drained ? "took" : "NOT FINISHED after",
                    drainSeconds, (quiet - started) / 1000.0, (written - started) / 1000.0, writer.rotations(),
                    fleet.starts(), down.isEmpty() ? "" : "; not running at the end: " + down)
                    + (drained ? "" : lagReport(stack.kafkaBootstrap(), topic, "caravan-indexer-" + id))
                    + v.report;
            LOG.info("\n{}", report);
            return new Result(v.ok() && drained && down.isEmpty(), report, drainSeconds, v);
        }
    }

    private static Properties settings(DevStack stack, String searchUrl, String topic, String id, String namespace,
                                       Path routes) {
        Properties p = TestSettings.indexing(stack.kafkaBootstrap(), searchUrl, topic, "logs-dlq-soak-" + id,
                "caravan-indexer-" + id, namespace, routes);
        p.setProperty("caravan.kafka.topic.dlq-parked", "logs-dlq-parked-soak-" + id);
        p.setProperty("caravan.dlq.replay.group", "caravan-replay-" + id);
        p.setProperty("caravan.index.batch.poll-ms", "200");
        // A killed indexer's partitions move on after 6 s, not the default 45.
        p.setProperty("caravan.index.session-timeout-ms", "6000");
        p.setProperty("caravan.index.breaker.open-ms", "2000");
        p.setProperty("caravan.index.retry.initial-ms", "100");
        p.setProperty("caravan.index.retry.max-ms", "5000");
        p.setProperty("caravan.routes.reload", "false");
        // Part of every document id: the same for every start of the shipper.
        p.setProperty("caravan.host.name", "soak-host");
        return p;
    }

    private static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Until Elasticsearch holds at least every line and the group has committed every record. */
    private static boolean awaitDrained(SearchClient es, String indices, String bootstrap, String topic, String group,
                                        long lines, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                es.refresh(indices);
                if (es.count(indices) >= lines && lag(bootstrap, topic, group) == 0) {
                    return true;
                }
            } catch (Exception e) {
                LOG.debug("not drained yet: {}", e.toString());
            }
            Thread.sleep(1000);
        }
        return false;
    }

    private static long lag(String bootstrap, String topic, String group) throws Exception {
        return lags(bootstrap, topic, group).values().stream().mapToLong(l -> l[0] - l[1]).sum();
    }

    /** Per partition, its end offset and the group's commit (0 when none). */
    private static Map<Integer, long[]> lags(String bootstrap, String topic, String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            var parts = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                    .partitions();
            Map<TopicPartition, OffsetSpec> q = new java.util.HashMap<>();
            parts.forEach(p -> q.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            Map<Integer, long[]> out = new java.util.TreeMap<>();
            for (var e : admin.listOffsets(q).all().get(10, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                out.put(e.getKey().partition(), new long[] {e.getValue().offset(), c == null ? 0 : c.offset()});
            }
            return out;
        }
    }

    /** What a drain that did not finish left: each partition's end and commit, for the report. */
    private static String lagReport(String bootstrap, String topic, String group) {
        try {
            StringBuilder b = new StringBuilder("partitions (end/committed):");
            lags(bootstrap, topic, group).forEach((p, l) -> b.append(' ').append(p).append('=').append(l[0]).append('/')
                    .append(l[1]));
            return b.append('\n').toString();
        } catch (Exception e) {
            return "partitions: not read (" + e + ")\n";
        }
    }

    /** {@code [--full] [--seed N] [--lines N] [--rate N] [--dir D]}; exit 0 on a clean verdict, 1 on any difference. */
    public static void main(String[] args) throws Exception {
        SoakConfig c = SoakConfig.reduced();
        long seed = System.nanoTime();
        Integer lines = null;
        Integer rate = null;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--full" -> c = SoakConfig.full();
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--lines" -> lines = Integer.parseInt(args[++i]);
                case "--rate" -> rate = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; use [--full] [--seed N] [--lines N] [--rate N] [--dir D]");
            }
        }
        if (lines != null || rate != null) {
            c = c.withLines(lines != null ? lines : c.lines(), rate != null ? rate : c.linesPerSecond());
        }
        // Absolute: the Caravan processes run in this directory and read the routes and checkpoints by path.
        Path work = (dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("caravan-soak-")).toAbsolutePath();
        Result r;
        try (DevStack stack = DevStack.start(work.resolve("devstack"))) {
            r = run(c, seed, stack, work, System.getProperty("java.class.path"));
        }
        System.out.println(r.report());
        System.exit(r.ok() ? 0 : 1);
    }
}
