package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.index.DlqHeaders;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 6, case 5: garbage mixed into a real log goes to the DLQ, every line of it, with the
 * original bytes and the reason; the good lines are indexed and the pipeline keeps going.
 */
class ParseFailureIT {

    @Test
    void garbageLinesAndRecordsAllLandInTheDlqAndThePipelineKeepsRunning() throws Exception {
        List<String> corpus = Lines.corpus().subList(0, 2_000);
        List<String> garbage = List.of(
                "this is not an access log line",
                "\u0000\u0001\u0002 binary garbage",
                "127.0.0.1 - - [99/Foo/2015:10:05:03 +0000] \"GET / HTTP/1.1\" 200 1 \"-\" \"-\"",
                "83.149.9.216 - - [17/May/2015:10:05:03 +0000] 200 GET",
                "ERROR 2015-05-17 something broke",
                "{\"json\": \"in an access log\"}",
                "   ");
        try (Pipeline p = new Pipeline()) {
            Path log = p.dir.resolve("access.log");
            List<String> mixed = new ArrayList<>();
            for (int i = 0; i < corpus.size(); i++) {
                mixed.add(corpus.get(i));
                if (i % 300 == 150) {
                    mixed.add(garbage.get((i / 300) % garbage.size()));
                }
            }
            long garbageInFile = mixed.size() - corpus.size();
            Files.write(log, mixed, StandardCharsets.UTF_8);
            p.tailRoute("it-mixed", log, "combined", p.dir.resolve("checkpoints"));
            p.start(p.properties());

            // Records that never were envelopes, and an envelope naming a format nobody knows.
            Lines odd = new Lines("odd-host", "odd-file");
            odd.raw("not json at all".getBytes(StandardCharsets.UTF_8));
            odd.raw("{\"no\":\"message\"}".getBytes(StandardCharsets.UTF_8));
            odd.line(corpus.get(0), "no-such-format");
            p.produce(p.topic, odd.records);

            long expectedFailures = garbageInFile + 3;
            p.awaitAllCommitted(mixed.size() + 3, Duration.ofMinutes(3));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> p.topicRecords(p.dlqTopic()) >= expectedFailures);
            assertThat(p.count()).isEqualTo(corpus.size());

            List<ConsumerRecord<String, byte[]>> dlq = p.readAll(p.dlqTopic());
            assertThat(dlq).hasSize((int) expectedFailures);
            List<Map<String, String>> headers = dlq.stream().map(r -> DlqHeaders.read(r.headers())).toList();
            assertThat(headers).allSatisfy(h -> {
                assertThat(h).containsKeys(DlqHeaders.REASON, DlqHeaders.STAGE, DlqHeaders.EXCEPTION, DlqHeaders.TOPIC,
                        DlqHeaders.PARTITION, DlqHeaders.OFFSET, DlqHeaders.FAILED_AT, DlqHeaders.FIRST_FAILURE);
                assertThat(h).containsEntry(DlqHeaders.TOPIC, p.topic).containsEntry(DlqHeaders.REPLAY_COUNT, "0");
            });
            assertThat(headers.stream().filter(h -> h.get(DlqHeaders.STAGE).equals("envelope"))).hasSize(2);
            assertThat(headers.stream().filter(h -> h.get(DlqHeaders.STAGE).equals("parse"))).hasSize((int) garbageInFile + 1);
            assertThat(headers.stream().filter(h -> h.get(DlqHeaders.REASON).contains("no-such-format") && h.get(DlqHeaders.REASON).contains("unknown format")))
                    .hasSize(1);
            assertThat(headers.stream().filter(h -> h.get(DlqHeaders.REASON).startsWith("line does not match format 'combined'")))
                    .hasSize((int) garbageInFile);
            // The original bytes, unchanged: each garbage line is inside its envelope, the raw records are themselves.
            List<String> values = dlq.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
            assertThat(values).contains("not json at all", "{\"no\":\"message\"}");
            assertThat(values.stream().filter(v -> v.contains("this is not an access log line"))).isNotEmpty();

            // Still running: more good lines are indexed.
            Files.write(log, Lines.corpus().subList(5_000, 5_100), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            p.awaitCount(corpus.size() + 100, Duration.ofMinutes(2));
            assertThat(p.count()).isEqualTo(corpus.size() + 100);
            assertThat(p.readAll(p.dlqTopic())).hasSize((int) expectedFailures);
        }
    }
}
