package caravan.ops;

import caravan.common.TimeArgs;
import caravan.index.ReplayFilter;
import caravan.index.Replayer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code caravan replay}: dead letters back to {@code logs-raw}, with filters and a dry run. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Send dead letters from the DLQ topic back to the raw topic to be indexed again.",
            "Reads from where the last replay stopped to the end of the DLQ now. Matching records are replayed"
                + " (replay count + 1), or parked in the parking topic once they have been replayed"
                + " --max-attempts times; the others are skipped and kept (appended to the DLQ again)."
                + " The replay group's offsets are committed once every write is acknowledged, so a second run"
                + " does not resend."})
public final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Settings file (default: ./application.properties when present).")
    Path config;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Only dead letters whose reason contains TEXT (case-insensitive).")
    String reason;

    @Option(names = "--stage", paramLabel = "STAGE", description = "Only this stage: envelope, parse, render, oversize, index, or a step id.")
    String stage;

    @Option(names = "--since", paramLabel = "TIME", description = "Only failures at or after TIME: 2h (ago), 2026-11-24, 2026-11-24T04:00:00Z.")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only failures before TIME (same forms as --since).")
    String until;

    @Option(names = "--source", paramLabel = "NAME", description = "Only records from this Caravan source (the route id).")
    String source;

    @Option(names = "--dry-run", description = "List what would be replayed or parked; write and commit nothing.")
    boolean dryRun;

    @Option(names = "--max-attempts", paramLabel = "N", description = "Replays per record before it is parked (default: caravan.dlq.max-replays).")
    Integer maxAttempts;

    @Override
    public Integer call() {
        Settings s = Settings.load(config);
        Instant now = Instant.now();
        ReplayFilter filter = new ReplayFilter(reason, stage, since == null ? null : TimeArgs.instant(since, now),
                until == null ? null : TimeArgs.instant(until, now), source);
        int max = maxAttempts != null ? maxAttempts : s.getInt("caravan.dlq.max-replays");
        if (max < 0) {
            throw new IllegalArgumentException("--max-attempts must not be negative");
        }
        PrintWriter out = spec.commandLine().getOut();
        String brokers = s.get("caravan.kafka.brokers");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                     ConsumerConfig.GROUP_ID_CONFIG, s.get("caravan.dlq.replay.group"),
                     ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000), new StringDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                     ProducerConfig.ACKS_CONFIG, "all",
                     ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                     ProducerConfig.LINGER_MS_CONFIG, 10,
                     ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024 + 64 * 1024,
                     ProducerConfig.CLIENT_ID_CONFIG, "caravan-replay"), new StringSerializer(), new ByteArraySerializer())) {
            Replayer.Report report = new Replayer(consumer, producer, s.get("caravan.kafka.topic.dlq"),
                    s.get("caravan.kafka.topic.raw"), s.get("caravan.kafka.topic.dlq-parked"), max, out).run(filter, dryRun);
            out.println(report + (dryRun ? "" : " (replayed to " + s.get("caravan.kafka.topic.raw") + ", skipped kept in "
                    + s.get("caravan.kafka.topic.dlq") + ", parked in " + s.get("caravan.kafka.topic.dlq-parked") + ")"));
            out.flush();
        }
        return 0;
    }
}
