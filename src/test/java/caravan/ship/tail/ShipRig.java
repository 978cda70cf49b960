package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.devstack.DevStack;
import caravan.event.Envelope;
import caravan.ops.ConfigValidator;
import caravan.parse.Parsers;
import caravan.ship.ShipRoute;
import caravan.ship.ShipSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The real ship route (envelope, idempotent producer, acks=all) fed by a {@code tail:} route, on
 * the shared devstack's Kafka, with a topic of its own; and a reader of that topic.
 */
final class ShipRig implements AutoCloseable {
    static final int PARTITIONS = 2;
    final DevStack stack = DevStack.shared();
    final String topic = "tail-it-" + UUID.randomUUID().toString().substring(0, 8);
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final List<Envelope> received = new ArrayList<>();
    private final Map<String, Set<Integer>> partitions = new HashMap<>();
    private CamelContext ctx;

    ShipRig() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        List<TopicPartition> parts = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            parts.add(new TopicPartition(topic, p));
        }
        consumer.assign(parts);
        consumer.seekToBeginning(parts);
    }

    /**
     * Settings for {@link ShipRoute}: this rig's topic, the devstack's broker, and the product's own
     * producer settings ({@code caravan.ship.kafka.*} of the built-in defaults, or a system property of
     * the same name), so that the rig and {@link ShipBench} run what a default installation runs.
     */
    static Properties shipProperties(String bootstrap, String topic) {
        Properties p = new Properties();
        ConfigValidator.loadDefaults().forEach((k, v) -> {
            if (k.toString().startsWith("caravan.ship.kafka.")) {
                p.put(k, System.getProperty(k.toString(), v.toString())); // -D wins, as Camel's placeholders let it
            }
        });
        p.setProperty("caravan.kafka.brokers", bootstrap);
        p.setProperty("caravan.kafka.topic.raw", topic);
        p.setProperty("caravan.ship.enabled", "true");
        return p;
    }

    /** A Camel context running {@link ShipRoute} and {@code from(tailUri).to("direct:ship")}. */
    static CamelContext shipContext(String bootstrap, String topic, String tailUri) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        // as the runtime wires it: the tail meters in Caravan's registry
        ctx.getRegistry().bind("caravanTailMetrics", TailMetrics.micrometer(caravan.common.Metrics.registry()));
        Properties props = shipProperties(bootstrap, topic);
        ctx.getPropertiesComponent().setInitialProperties(props);
        ctx.getComponent("kafka", KafkaComponent.class).getConfiguration().setBrokers(bootstrap);
        ctx.addRoutes(new ShipRoute(new ShipSettings(0, 60_000,
                Integer.parseInt(props.getProperty("caravan.ship.kafka.lines-per-record").trim()),
                Long.parseLong(props.getProperty("caravan.ship.kafka.max-record-bytes").trim()),
                Boolean.parseBoolean(props.getProperty("caravan.ship.kafka.file-fields-once", "true").trim())),
                Parsers::datasetOf));
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(tailUri).routeId("tail-src").to("direct:ship");
            }
        });
        return ctx;
    }

    ShipRig start(String tailUri) throws Exception {
        ctx = shipContext(stack.kafkaBootstrap(), topic, tailUri);
        ctx.start();
        return this;
    }

    void stopCamel() {
        if (ctx != null) {
            ctx.stop();
            ctx = null;
        }
    }

    /** Reads the topic until its records come from {@code n} different file identities (generations). */
    void awaitFileIds(int n, Duration timeout) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (System.nanoTime() < deadline) {
            for (; seen < received.size(); seen++) {
                ids.add(received.get(seen).fileId());
            }
            if (ids.size() >= n) {
                return;
            }
            poll(200);
        }
        throw new AssertionError("records from " + ids.size() + " file identities after " + timeout + ", expected " + n);
    }

    /** Reads the topic until it holds {@code expected} records, then a little longer to catch extras. */
    List<Envelope> await(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.size() < expected && System.nanoTime() < deadline) {
            poll(200);
        }
        return grace();
    }

    /**
     * Reads the topic until it holds {@code expected} different messages (repeats do not count:
     * after crashes there are some, and counting them would stop the wait too early).
     */
    List<Envelope> awaitDistinct(int expected, Duration timeout) {
        java.util.Set<String> distinct = new java.util.HashSet<>();
        received.forEach(e -> distinct.add(e.message()));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (distinct.size() < expected && System.nanoTime() < deadline) {
            int before = received.size();
            poll(200);
            for (int i = before; i < received.size(); i++) {
                distinct.add(received.get(i).message());
            }
        }
        return grace();
    }

    private List<Envelope> grace() {
        long grace = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        while (System.nanoTime() < grace) {
            poll(100);
        }
        return new ArrayList<>(received);
    }

    private void poll(long ms) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(ms))) {
            org.apache.kafka.common.header.Header file = r.headers().lastHeader(Envelope.FILE_HEADER);
            List<Envelope> inside = Envelope.allFromRecord(r.value(), file == null ? null : file.value());
            org.apache.kafka.common.header.Header lines = r.headers().lastHeader(Envelope.LINES_HEADER);
            String count = lines == null ? null : new String(lines.value(), java.nio.charset.StandardCharsets.UTF_8);
            if (inside.size() > 1 != (count != null) || count != null && Integer.parseInt(count) != inside.size()) {
                // the indexer reads a record as several lines by this header alone
                throw new AssertionError("record " + r.partition() + "@" + r.offset() + " holds " + inside.size()
                        + " envelopes, header " + Envelope.LINES_HEADER + "=" + count);
            }
            for (Envelope e : inside) {
                received.add(e);
                partitions.computeIfAbsent(e.fileId(), k -> new java.util.TreeSet<>()).add(r.partition());
            }
        }
    }

    /** The partitions each file's records were found on, by file identity. */
    Map<String, Set<Integer>> partitionsPerFile() {
        return partitions;
    }

    /** The messages on the topic are exactly {@code expected}, as a multiset, with a report of the difference. */
    static void assertExactly(List<Envelope> got, List<String> expected) {
        Map<String, Integer> want = counts(expected);
        Map<String, Integer> have = new HashMap<>();
        got.forEach(e -> have.merge(e.message(), 1, Integer::sum));
        Map<String, Integer> missing = new TreeMap<>();
        Map<String, Integer> extra = new TreeMap<>();
        Set<String> all = new java.util.HashSet<>(want.keySet());
        all.addAll(have.keySet());
        for (String k : all) {
            int d = have.getOrDefault(k, 0) - want.getOrDefault(k, 0);
            if (d < 0) {
                missing.put(abbrev(k), -d);
            } else if (d > 0) {
                extra.put(abbrev(k), d);
            }
        }
        assertThat(missing.size()).as("lines written but not on the topic (of %d), first: %s", want.size(), first(missing))
                .isZero();
        assertThat(extra.size()).as("lines on the topic more often than written, first: %s", first(extra)).isZero();
    }

    private static String first(Map<String, Integer> m) {
        return m.entrySet().stream().limit(10).map(Object::toString).collect(java.util.stream.Collectors.joining("; "));
    }

    private static Map<String, Integer> counts(List<String> l) {
        Map<String, Integer> m = new HashMap<>();
        l.forEach(s -> m.merge(s, 1, Integer::sum));
        return m;
    }

    private static String abbrev(String s) {
        return s.length() <= 80 ? s : s.substring(0, 60) + "...(" + s.length() + " chars)";
    }

    static <T> List<T> sorted(List<T> l, java.util.Comparator<T> c) {
        List<T> out = new ArrayList<>(l);
        Collections.sort(out, c);
        return out;
    }

    @Override
    public void close() {
        stopCamel();
        consumer.close();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap()))) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a leftover topic on the throwaway devstack is harmless
        }
    }
}
