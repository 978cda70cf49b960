package caravan.ship.tail;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The C reference of {@link ShipBench}: rsyslog's {@code imfile} reading the bench file from its
 * beginning into {@code omkafka}, one Kafka record per line, in an envelope of the same JSON shape
 * as Caravan's (message, file path and offset, host, dataset, created, service, source, format, file
 * id) and with the same record key (host:path). It runs as a foreground {@code rsyslogd -n} with
 * its own configuration, work directory (imfile's state) and pid file under the run's directory, so
 * every run reads the file from the start and the system's rsyslog is never involved.
 *
 * <p>Producer settings as close to Caravan's as librdkafka has them: acks=all
 * ({@code request.required.acks=-1}), idempotence, lz4, linger 5 ms ({@code queue.buffering.max.ms});
 * librdkafka's own batching defaults (up to 10,000 messages or 1 MB a batch), which favour batches
 * more than the Java producer's 16 KB; a local queue of {@link #LOCAL_QUEUE} messages, and failed
 * messages resubmitted (no line lost). The ruleset's queue (one worker, like Caravan's one reader
 * thread per file) takes up to 1,024 messages per dequeue, so the Kafka action gets them in batches. Timed from the process start until the topic's end
 * offset holds every line, as Caravan is.
 */
final class RsyslogRun {
    /**
     * librdkafka's local queue, in messages (its default is 100,000). omkafka does not wait when that
     * queue is full: it fails the message (lost, unless resubmitOnFailure keeps it and the action is
     * suspended and retried). At 100,000 a loaded broker made it drop lines, so rsyslog gets a queue
     * of up to ~330 MB of envelopes where Caravan's producer blocks at 8 MiB.
     */
    private static final int LOCAL_QUEUE = 500_000;

    private RsyslogRun() {
    }

    /** Lines/s and CPU microseconds per line of one rsyslogd shipping {@code lines} lines of {@code file}. */
    static double[] run(String rsyslogd, String bootstrap, Path file, int lines, Path work, String name)
            throws Exception {
        String topic = "ship-bench-" + name + "-" + System.nanoTime();
        ShipBench.createTopic(bootstrap, topic);
        Path dir = Files.createDirectories(work.resolve(name).toAbsolutePath());
        Path state = Files.createDirectories(dir.resolve("work"));
        Path conf = dir.resolve("rsyslog.conf");
        Files.writeString(conf, config(bootstrap, topic, file.toAbsolutePath(), state, dir.resolve("internal.log")));
        Path log = dir.resolve("rsyslogd.out");
        Process p = new ProcessBuilder(rsyslogd, "-n", "-f", conf.toString(), "-i", dir.resolve("rsyslogd.pid").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long t0 = System.nanoTime();
        long cpu = 0;
        long deadline = t0 + TimeUnit.MINUTES.toNanos(10);
        try (Admin admin = ShipBench.admin(bootstrap)) {
            while (ShipBench.endOffset(admin, topic) < lines) {
                if (!p.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("rsyslogd " + (p.isAlive() ? "did not ship every line" : "exited")
                            + " (topic at " + ShipBench.endOffset(admin, topic) + " of " + lines + "); see " + log + " and "
                            + dir.resolve("internal.log"));
                }
                cpu = p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(cpu);
                Thread.sleep(20);
            }
        } finally {
            cpu = p.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(cpu);
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (name.contains("warmup")) {
            System.out.println("rsyslog record: " + firstRecord(bootstrap, topic));
        }
        return new double[] {lines / seconds, cpu / 1e3 / lines};
    }

    static String config(String bootstrap, String topic, Path file, Path state, Path internal) throws IOException {
        String host = InetAddress.getLocalHost().getHostName();
        // Caravan's envelope (caravan.event.Envelope), field for field; %...:::json% escapes for JSON
        String envelope = "{\\\"message\\\":\\\"%msg:::json%\\\",\\\"log\\\":{\\\"file\\\":{\\\"path\\\":"
                + "\\\"%$!metadata!filename:::json%\\\"},\\\"offset\\\":%$!metadata!fileoffset%},"
                + "\\\"host\\\":{\\\"name\\\":\\\"%hostname:::json%\\\"},\\\"event\\\":{\\\"dataset\\\":\\\"apache.access\\\","
                + "\\\"created\\\":\\\"%timegenerated:::date-rfc3339%\\\"},\\\"service\\\":{\\\"name\\\":\\\"web\\\"},"
                + "\\\"caravan\\\":{\\\"source\\\":\\\"tail-src\\\",\\\"format\\\":\\\"combined\\\","
                + "\\\"file_id\\\":\\\"fe00-20c923-7174424e0fae6467\\\"}}";
        return String.join("\n",
                "global(workDirectory=\"" + state + "\" maxMessageSize=\"64k\")",
                "module(load=\"imfile\" mode=\"inotify\")",
                "module(load=\"omkafka\")",
                "template(name=\"envelope\" type=\"string\" string=\"" + envelope + "\")",
                "ruleset(name=\"ship\" queue.type=\"FixedArray\" queue.size=\"262144\" queue.dequeueBatchSize=\"1024\") {",
                "  action(type=\"omkafka\" broker=[\"" + bootstrap + "\"] topic=\"" + topic + "\" template=\"envelope\"",
                "         key=\"" + host + ":" + file + "\"",
                "         confParam=[\"compression.codec=lz4\", \"queue.buffering.max.ms=5\", \"enable.idempotence=true\",",
                "                    \"queue.buffering.max.messages=" + LOCAL_QUEUE + "\"]",
                "         topicConfParam=[\"request.required.acks=-1\"]",
                "         resubmitOnFailure=\"on\" action.resumeInterval=\"1\" action.resumeRetryCount=\"-1\")",
                "}",
                "input(type=\"imfile\" file=\"" + file + "\" tag=\"access\" ruleset=\"ship\" addMetadata=\"on\""
                        + " freshStartTail=\"off\")",
                // rsyslog's own messages (errors of omkafka, say) go to a file of this run, not to the system's log
                "*.* action(type=\"omfile\" file=\"" + internal + "\")",
                "");
    }

    /** The first record of the topic, to show what rsyslog sent. */
    private static String firstRecord(String bootstrap, String topic) {
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            for (int i = 0; i < 20; i++) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                    return "key=" + r.key() + " value=" + r.value() + " (" + r.value().getBytes(StandardCharsets.UTF_8).length
                            + " bytes)";
                }
            }
            return "(none read)";
        }
    }
}
