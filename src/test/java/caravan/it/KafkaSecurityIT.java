package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.FileTrees;
import caravan.devstack.DevTls;
import caravan.devstack.KafkaServer;
import caravan.index.DlqHeaders;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a broker that only takes SASL_SSL with SCRAM-SHA-512 (its CA made by keytool at test
 * time). Caravan is given only that listener; the test itself reads results through the broker's
 * PLAINTEXT side door.
 */
class KafkaSecurityIT {
    private static final String USER = "caravan";
    private static final String PASSWORD = "scram-secret-1";
    private static Path dir;
    private static KafkaServer kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        dir = Files.createTempDirectory("caravan-sasl-");
        kafka = new KafkaServer(dir.resolve("kafka")).saslSsl(Map.of(USER, PASSWORD)).mutualTls().start();
    }

    @AfterAll
    static void stopBroker() throws java.io.IOException {
        if (kafka != null) {
            kafka.stop();
        }
        if (dir != null) {
            FileTrees.delete(dir);
        }
    }

    /** Every Kafka setting pointed at the SASL_SSL listener; secrets in files, as an operator would. */
    private static Properties secured(Pipeline p) throws Exception {
        Properties s = p.properties();
        s.setProperty("caravan.kafka.brokers", kafka.saslBootstrap());
        s.setProperty("caravan.kafka.security.protocol", "SASL_SSL");
        s.setProperty("caravan.kafka.sasl.username", USER);
        s.setProperty("caravan.kafka.sasl.password-file", Files.writeString(p.dir.resolve("sasl-password"), PASSWORD).toString());
        s.setProperty("caravan.kafka.ssl.truststore.location", kafka.ca().trustStore().toString());
        s.setProperty("caravan.kafka.ssl.truststore.password-file",
                Files.writeString(p.dir.resolve("truststore-password"), DevTls.PASSWORD).toString());
        return s;
    }

    @Test
    void shipIndexDeadLetterAndReplayAllGoThroughSaslSsl() throws Exception {
        try (Pipeline p = new Pipeline()) {
            List<String> lines = new ArrayList<>(Lines.corpus().subList(0, 300));
            lines.add(150, "this is not an access log line");
            Path log = Files.write(p.dir.resolve("access.log"), lines, StandardCharsets.UTF_8);
            p.tailRoute("it-sasl", log, "combined", p.dir.resolve("checkpoints"));
            Properties s = secured(p);
            p.start(s);
            p.awaitCount(300, Duration.ofMinutes(2));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> records(p.dlqTopic()) == 1);

            // replay: the line fails again and comes back to the DLQ with its replay count.
            String out = p.caravan(p.writeConfig(s, "caravan.properties"), "replay");
            assertThat(out).contains("1 dead letters read; replayed 1");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> records(p.dlqTopic()) == 2);
            ConsumerRecord<String, byte[]> again = last(p.dlqTopic());
            assertThat(new String(again.value(), StandardCharsets.UTF_8)).contains("this is not an access log line");
            assertThat(DlqHeaders.read(again.headers())).containsEntry(DlqHeaders.REPLAY_COUNT, "1")
                    .containsEntry(DlqHeaders.STAGE, "parse");
            assertThat(p.count()).isEqualTo(300);
        }
    }

    private record Result(int code, String out, String err) {
    }

    private static Result check(Pipeline p, Properties s) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = caravan.ops.Caravan.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute("check", "--connect", "--config", p.writeConfig(s, "check.properties").toString(),
                        "--routes", p.routes.toString());
        return new Result(code, out.toString(), err.toString());
    }

    private static List<String> errorLines(Result r) {
        return r.err().lines().filter(l -> l.startsWith("error:")).toList();
    }

    @Test
    void checkConnectReportsTlsAuthenticationClusterAndTopicsOrOneClearError() throws Exception {
        try (Pipeline p = new Pipeline()) {
            Properties s = secured(p);
            // A PEM file of the CA this time, no trust store password.
            s.setProperty("caravan.kafka.ssl.truststore.location", kafka.ca().pem().toString());
            s.setProperty("caravan.kafka.ssl.truststore.type", "PEM");
            s.remove("caravan.kafka.ssl.truststore.password-file");
            s.setProperty("caravan.kafka.create-topics", "true");
            s.setProperty("caravan.kafka.topic.partitions", "2");
            s.setProperty("caravan.kafka.topic.replication", "1");
            s.setProperty("caravan.index.instances", "3");

            Result created = check(p, s);
            assertThat(created.code()).as(created.err() + created.out()).isZero();
            assertThat(created.out()).contains("kafka: connected to " + kafka.saslBootstrap() + ": TLS ok",
                    "host name verified", "SASL SCRAM-SHA-512 authenticated as 'caravan'", "kafka: cluster ",
                    "kafka: topic " + p.topic + " created: 2 partition(s), replication 1, retention 168 h",
                    "kafka: topic " + p.dlqTopic() + " created: 2 partition(s), replication 1, retention 720 h");
            Result again = check(p, s);
            assertThat(again.out()).contains("kafka: topic " + p.topic + " exists: 2 partition(s), replication 1",
                    "warning: kafka: topic " + p.topic + " has 2 partition(s) for caravan.index.instances=3");

            Path wrong = Files.writeString(p.dir.resolve("wrong-password"), "not-the-password");
            s.setProperty("caravan.kafka.sasl.password-file", wrong.toString());
            Result refused = check(p, s);
            assertThat(refused.code()).isEqualTo(1);
            assertThat(errorLines(refused)).singleElement().asString()
                    .startsWith("error: kafka: authentication refused for user 'caravan' (SCRAM-SHA-512)");

            s.setProperty("caravan.kafka.sasl.password-file", p.dir.resolve("sasl-password").toString());
            s.setProperty("caravan.kafka.ssl.truststore.location", DevTls.ca(p.dir.resolve("other"), "stranger-ca").pem().toString());
            Result untrusted = check(p, s);
            assertThat(untrusted.code()).isEqualTo(1);
            assertThat(errorLines(untrusted)).singleElement().asString()
                    .startsWith("error: kafka: TLS handshake with " + kafka.saslBootstrap() + " failed, the broker's certificate is not trusted");
        }
    }

    @Test
    void mutualTlsWithAClientKeyStoreAndOneClearErrorWithout() throws Exception {
        try (Pipeline p = new Pipeline()) {
            Properties s = p.properties();
            s.setProperty("caravan.kafka.brokers", kafka.sslBootstrap());
            s.setProperty("caravan.kafka.security.protocol", "SSL");
            Path storePassword = Files.writeString(p.dir.resolve("store-password"), DevTls.PASSWORD);
            s.setProperty("caravan.kafka.ssl.truststore.location", kafka.ca().trustStore().toString());
            s.setProperty("caravan.kafka.ssl.truststore.password-file", storePassword.toString());
            s.setProperty("caravan.kafka.create-topics", "true");
            s.setProperty("caravan.kafka.topic.replication", "1");

            Result anonymous = check(p, s);
            assertThat(anonymous.code()).isEqualTo(1);
            assertThat(errorLines(anonymous)).singleElement().asString()
                    .startsWith("error: kafka: TLS handshake with " + kafka.sslBootstrap() + " failed, the broker refused Caravan's client certificate");

            Path client = DevTls.serverKeyStore(kafka.ca(), p.dir.resolve("client.p12"), "caravan-client");
            s.setProperty("caravan.kafka.ssl.keystore.location", client.toString());
            s.setProperty("caravan.kafka.ssl.keystore.password-file", storePassword.toString());
            Result ok = check(p, s);
            assertThat(ok.code()).as(ok.err() + ok.out()).isZero();
            assertThat(ok.out()).contains("kafka: connected to " + kafka.sslBootstrap() + ": TLS ok", "client certificate sent",
                    "kafka: topic " + p.topic + " created: 6 partition(s)");
        }
    }

    /** Records on a topic of the secured broker, read through its PLAINTEXT listener. */
    private static long records(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()))) {
            if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
                return 0;
            }
            return admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest())).all()
                    .get(10, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
        }
    }

    private static ConsumerRecord<String, byte[]> last(String topic) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            ConsumerRecord<String, byte[]> last = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && (last == null || last.offset() < 1)) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(500))) {
                    last = r;
                }
            }
            return last;
        }
    }
}
