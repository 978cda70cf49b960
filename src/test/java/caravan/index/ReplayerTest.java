package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReplayerTest {
    private static final TopicPartition DLQ = new TopicPartition("dlq", 0);
    private MockConsumer<String, byte[]> consumer;
    private MockProducer<String, byte[]> producer;
    private final StringWriter out = new StringWriter();

    @BeforeEach
    void dlqWithThreeDeadLetters() {
        consumer = new MockConsumer<>(OffsetResetStrategy.EARLIEST);
        producer = new MockProducer<>(true, new StringSerializer(), new ByteArraySerializer());
        Node node = new Node(0, "localhost", 9092);
        consumer.updatePartitions("dlq", List.of(new PartitionInfo("dlq", 0, node, new Node[] {node}, new Node[] {node})));
        consumer.updateBeginningOffsets(Map.of(DLQ, 0L));
        consumer.updateEndOffsets(Map.of(DLQ, 3L));
        consumer.schedulePollTask(() -> {
            consumer.addRecord(letter(0, "index", "document_parsing_exception: bad user.name", "0"));
            consumer.addRecord(letter(1, "parse", "line does not match format 'combined'", "0"));
            consumer.addRecord(letter(2, "index", "document_parsing_exception: bad user.name", "3"));
        });
    }

    @Test
    void replaysMatchingParksExhaustedKeepsTheRestAndCommits() {
        Replayer.Report report = replayer(3).run(new ReplayFilter(null, "index", null, null, null), false);

        assertThat(report).isEqualTo(new Replayer.Report(3, 1, 1, 1, false));
        List<ProducerRecord<String, byte[]>> sent = producer.history();
        assertThat(sent).extracting(ProducerRecord::topic).containsExactly("raw", "dlq", "parked");
        ProducerRecord<String, byte[]> replayed = sent.get(0);
        assertThat(replayed.key()).isEqualTo("key-0");
        assertThat(new String(replayed.value(), StandardCharsets.UTF_8)).isEqualTo("envelope-0");
        assertThat(DlqHeaders.read(replayed.headers())).containsExactly(Map.entry(DlqHeaders.REPLAY_COUNT, "1"),
                Map.entry(DlqHeaders.FIRST_FAILURE, "2026-11-20T00:00:00Z"));
        // The skipped one goes back to the DLQ as it was; the parked one says when it was parked.
        assertThat(DlqHeaders.read(sent.get(1).headers())).containsEntry(DlqHeaders.STAGE, "parse")
                .containsEntry(DlqHeaders.REPLAY_COUNT, "0");
        assertThat(DlqHeaders.read(sent.get(2).headers())).containsKey(DlqHeaders.PARKED_AT)
                .containsEntry(DlqHeaders.REPLAY_COUNT, "3");
        assertThat(consumer.committed(java.util.Set.of(DLQ)).get(DLQ).offset()).isEqualTo(3);
    }

    @Test
    void aDryRunListsAndWritesNothing() {
        Replayer.Report report = replayer(3).run(ReplayFilter.ALL, true);

        assertThat(report).isEqualTo(new Replayer.Report(3, 2, 0, 1, true));
        assertThat(producer.history()).isEmpty();
        assertThat(Optional.ofNullable(consumer.committed(java.util.Set.of(DLQ)).get(DLQ))).isEmpty();
        assertThat(out.toString()).contains("would replay dlq/0@0", "would replay dlq/0@1", "would park   dlq/0@2",
                "stage=parse", "reason=document_parsing_exception: bad user.name");
        assertThat(report.toString()).isEqualTo("dry run: 3 dead letters read; would replay 2, skip 0, park 1");
    }

    private Replayer replayer(int maxReplays) {
        return new Replayer(consumer, producer, "dlq", "raw", "parked", maxReplays, new PrintWriter(out));
    }

    private static ConsumerRecord<String, byte[]> letter(long offset, String stage, String reason, String count) {
        RecordHeaders h = new RecordHeaders();
        h.add(DlqHeaders.header(DlqHeaders.REASON, reason));
        h.add(DlqHeaders.header(DlqHeaders.STAGE, stage));
        h.add(DlqHeaders.header(DlqHeaders.FAILED_AT, "2026-11-24T00:00:00Z"));
        h.add(DlqHeaders.header(DlqHeaders.FIRST_FAILURE, "2026-11-20T00:00:00Z"));
        h.add(DlqHeaders.header(DlqHeaders.REPLAY_COUNT, count));
        return new ConsumerRecord<>("dlq", 0, offset, 0L, TimestampType.CREATE_TIME, 0, 0, "key-" + offset,
                ("envelope-" + offset).getBytes(StandardCharsets.UTF_8), h, Optional.empty());
    }
}
