package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.index.DlqHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 on the devstack: sources other than tail: get one document per record, a re-delivery
 * of the same Kafka records changes nothing, a real id collision goes to the DLQ, Filebeat's
 * Kafka JSON on a topic of its own is indexed with its fields, and a byte-identical copy of a
 * followed file is shipped in full.
 */
class EdgesIT {

    @Test
    void timerAndFileRoutesGiveOneDocumentPerRecordAndARedeliveryChangesNothing() throws Exception {
        try (Pipeline p = new Pipeline()) {
            Files.writeString(p.routes.resolve("ticks.yaml"), """
                    - route:
                        id: ticks
                        from:
                          uri: "timer:ticks"
                          parameters: {repeatCount: 1000, period: 1, delay: 0}
                          steps:
                            - setHeader: {name: CaravanFormat, constant: json}
                            - setBody: {simple: '{"msg":"tick ${exchangeProperty.CamelTimerCounter}"}'}
                            - to: "direct:ship"
                    """);
            Path in = Files.createDirectories(p.dir.resolve("in"));
            List<String> lines = Lines.corpus().subList(0, 1000);
            Files.write(p.dir.resolve("batch.log"), lines, StandardCharsets.UTF_8);
            Files.writeString(p.routes.resolve("files.yaml"), """
                    - route:
                        id: files
                        from:
                          uri: "file:%s"
                          parameters: {noop: true}
                          steps:
                            - split:
                                tokenize: "\\n"
                                steps:
                                  - setHeader: {name: CaravanFormat, constant: combined}
                                  - to: "direct:ship"
                    """.formatted(in));
            p.start(p.properties());
            Files.move(p.dir.resolve("batch.log"), in.resolve("batch.log"));
            p.awaitAllCommitted(2000, Duration.ofMinutes(2));
            p.awaitCount(2000, Duration.ofSeconds(30));
            assertThat(p.terms("event.dataset")).containsEntry("app.json", 1000L).containsEntry("apache.access", 1000L);
            assertThat(p.ids()).hasSize(2000);
            p.stop();

            // The same records read again by another indexer group: the same ids, the 409s verified.
            Properties again = p.properties();
            again.setProperty("caravan.index.group", p.group + "-again");
            again.setProperty("caravan.routes.dir", p.dir.resolve("no-routes").toString());
            Files.createDirectories(p.dir.resolve("no-routes"));
            p.start(again);
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                    .until(() -> committed(p, p.group + "-again") >= 2000);
            assertThat(p.esCount()).isEqualTo(2000);
            assertThat(p.topicRecords(p.dlqTopic())).isZero();
        }
    }

    @Test
    void aRealIdCollisionIsDeadLetteredAndFilebeatRecordsAreIndexed() throws Exception {
        try (Pipeline p = new Pipeline()) {
            String fbTopic = "filebeat-" + p.id;
            Properties props = p.properties();
            props.setProperty("caravan.index.topics", fbTopic + ":combined");
            p.start(props);

            // Two different records naming the same id: one document, one dead letter saying why.
            List<ProducerRecord<String, byte[]>> named = new ArrayList<>();
            for (String msg : List.of("{\"a\":1}", "{\"a\":2}")) {
                named.add(new ProducerRecord<>(p.topic, "k", ("{\"message\":" + quote(msg) + ",\"caravan\":{\"format\":\"json\","
                        + "\"source\":\"named\",\"id\":\"order-1\"},\"event\":{\"dataset\":\"app.json\"}}")
                        .getBytes(StandardCharsets.UTF_8)));
            }
            p.produce(p.topic, named.subList(0, 1));
            p.awaitCount(1, Duration.ofMinutes(1));
            p.produce(p.topic, named.subList(1, 2));
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> p.topicRecords(p.dlqTopic()) >= 1);
            List<ConsumerRecord<String, byte[]>> dlq = p.readAll(p.dlqTopic());
            assertThat(dlq).singleElement().satisfies(r -> assertThat(DlqHeaders.read(r.headers()).get(DlqHeaders.REASON))
                    .contains("document id collision"));

            // 10,000 records shaped as Filebeat's kafka output writes them.
            List<String> corpus = Lines.corpus();
            List<ProducerRecord<String, byte[]>> fb = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                String line = corpus.get(i % corpus.size());
                fb.add(new ProducerRecord<>(fbTopic, null, ("{\"@timestamp\":\"2026-11-24T10:05:03.123Z\","
                        + "\"@metadata\":{\"beat\":\"filebeat\",\"type\":\"_doc\",\"version\":\"8.15.0\"},"
                        + "\"log\":{\"offset\":" + (i * 200L) + ",\"file\":{\"path\":\"/var/log/apache2/access.log\"}},"
                        + "\"message\":" + quote(line) + ",\"input\":{\"type\":\"filestream\"},"
                        + "\"ecs\":{\"version\":\"8.0.0\"},\"host\":{\"name\":\"web-" + (i % 3) + "\"},"
                        + "\"agent\":{\"type\":\"filebeat\",\"version\":\"8.15.0\",\"name\":\"web\"}}")
                        .getBytes(StandardCharsets.UTF_8)));
            }
            p.produce(fbTopic, fb);
            p.awaitCount(10_001, Duration.ofMinutes(3));
            assertThat(p.count()).isEqualTo(10_001);
            assertThat(p.terms("host.name")).containsEntry("web-0", 3334L).containsEntry("web-1", 3333L)
                    .containsEntry("web-2", 3333L);
            assertThat(p.terms("log.file.path")).containsEntry("/var/log/apache2/access.log", 10_000L);
            assertThat(p.terms("event.dataset")).containsEntry("apache.access", 10_000L);
        }
    }

    @Test
    void aByteIdenticalCopyBesideAFollowedFileIsShippedInFull() throws Exception {
        try (Pipeline p = new Pipeline()) {
            Path logs = Files.createDirectories(p.dir.resolve("logs"));
            Path original = logs.resolve("access.log");
            List<String> lines = Lines.corpus().subList(0, 1000);
            Files.write(original, lines, StandardCharsets.UTF_8);
            p.tailRoute("copies", logs.resolve("*.log"), "combined", p.dir.resolve("checkpoints"));
            Properties props = p.properties();
            props.setProperty("caravan.ship.tail.copy-window-ms", "3000"); // held 3 s, not the default minute
            p.start(props);
            p.awaitCount(1000, Duration.ofMinutes(2));

            // The same bytes under a second name while the original is still followed: the tailer
            // holds it for a while (it may be a copytruncate copy), then reads it as a stream of its own.
            Path copy = logs.resolve("access-copy.log");
            Files.copy(original, copy);
            assertThat(Files.mismatch(original, copy)).isEqualTo(-1L);
            p.awaitCount(2000, Duration.ofSeconds(60));
            assertThat(p.terms("log.file.path")).containsEntry(original.toString(), 1000L)
                    .containsEntry(copy.toString(), 1000L);
            assertThat(p.ids()).hasSize(2000);
            Thread.sleep(2000); // nothing more arrives: each line once per file
            assertThat(p.count()).isEqualTo(2000);
            assertThat(p.topicRecords(p.dlqTopic())).isZero();
        }
    }

    private static long committed(Pipeline p, String group) throws Exception {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(java.util.Map.of(
                org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, p.stack.kafkaBootstrap()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(10, java.util.concurrent.TimeUnit.SECONDS).values().stream()
                    .filter(o -> o != null).mapToLong(org.apache.kafka.clients.consumer.OffsetAndMetadata::offset).sum();
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
