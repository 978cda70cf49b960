package caravan.ops;

import caravan.common.FileTrees;
import caravan.ship.EnvelopeProcessor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.builder.RouteBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code caravan file}: imports whole files once and exits when every line is indexed.
 *
 * <p>The lines take the normal path (tail, Kafka, the index route), so they are parsed, enriched
 * and deduplicated exactly like followed files. "Indexed" is measured on Kafka: once every line is
 * acknowledged, the topic's end offsets are noted, and the job is done when the indexer group has
 * committed up to them (the index route commits only after Elasticsearch acknowledged). That holds
 * even when other indexers of the group share the work.
 */
@Command(name = "file", mixinStandardHelpOptions = true,
        description = "Import whole files once (parsed, enriched, indexed like followed ones), with a progress bar; "
                + "exit when all is indexed.")
public final class FileCommand implements Callable<Integer> {

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "Log files to import.")
    List<Path> paths;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (default: ./application.properties when present).")
    Path config;

    @Option(names = "--format", defaultValue = "combined", description = "Line format (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--service", description = "service.name for the events.")
    String service;

    @Option(names = "--timeout", defaultValue = "3600", paramLabel = "SECONDS",
            description = "Give up (exit 1) when not all is indexed after this long (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Option(names = "--progress-interval", defaultValue = "2000", paramLabel = "MS",
            description = "Milliseconds between progress lines when the output is not a terminal (default: ${DEFAULT-VALUE}).")
    long plainInterval;

    @Option(names = "--archive", paramLabel = "DIR",
            description = "Once every line is indexed, move each file here gzipped, under <yyyy-MM-dd>/; a file is"
                    + " left where it is if the import fails.")
    Path archive;

    @Override
    public Integer call() throws Exception {
        long total = 0;
        for (Path p : paths) {
            if (!Files.isRegularFile(p)) {
                throw new IllegalArgumentException("no such file: " + p);
            }
            total += countLines(p);
        }
        caravan.parse.Parsers.forFormat(format); // a bad format fails now, not after the servers started
        Path scratch = Files.createTempDirectory("caravan-file-");
        Path routes = Files.createDirectories(scratch.resolve("routes"));
        Properties extra = new Properties();
        extra.setProperty("caravan.ship.enabled", "true");
        // Only the files named here: the operator's route files belong to `caravan run`.
        extra.setProperty("caravan.routes.dir", routes.toString());
        extra.setProperty("caravan.routes.reload", "false");
        extra.setProperty("caravan.health.summary-seconds", "0");
        // A second Caravan on this machine must not collide with a running one's HTTP port.
        extra.setProperty("caravan.http.enabled", "false");
        // A one-shot import serves no API and leaves alerting to the long-running processes.
        extra.setProperty("caravan.api.enabled", "false");
        extra.setProperty("caravan.alert.enabled", "false");
        AtomicLong shipped = new AtomicLong();
        AtomicLong records = new AtomicLong();
        CaravanRuntime runtime = new CaravanRuntime(RunCommand.configOrDefault(config), extra);
        runtime.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int i = 0; i < paths.size(); i++) {
                    String uri = "tail:" + paths.get(i).toAbsolutePath()
                            + "?startPosition=beginning&format=" + format
                            + (service != null ? "&service=" + service : "")
                            + "&checkpointDir=" + scratch.resolve("checkpoints")
                            // nothing but the ship route here: batches of lines cost less than half the CPU per line
                            + "&maxBatchLines=500";
                    from(uri).routeId("file-" + i).to("direct:ship")
                            .process(e -> {
                                shipped.addAndGet(e.getProperty(EnvelopeProcessor.LINES, 1, Integer.class));
                                records.addAndGet(e.getMessage().getBody() instanceof List<?> sent ? sent.size() : 1);
                            });
                }
            }
        });
        boolean terminal = System.console() != null;
        Progress progress = new Progress(System.out, terminal, total, plainInterval);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        try (runtime) {
            runtime.start();
            String topic = runtime.context().resolvePropertyPlaceholders("{{caravan.kafka.topic.raw}}");
            String group = runtime.context().resolvePropertyPlaceholders("{{caravan.index.group}}");
            // The runtime's admin client: the same brokers and security as the pipeline's own clients.
            KafkaAdmin admin = runtime.kafkaAdmin();
            long committedAtStart = -1;
            Map<TopicPartition, Long> target = null;
            long indexed = 0;
            while (System.nanoTime() < deadline) {
                long committed = committed(admin.get(), group);
                if (committedAtStart < 0) {
                    committedAtStart = committed;
                }
                if (target == null && shipped.get() >= total) {
                    target = endOffsets(admin.get(), topic);
                }
                // offsets count records, of up to lines-per-record lines each: the lines of the records committed,
                // at this run's mean, for the bar (done is decided on the offsets themselves)
                double perRecord = records.get() == 0 ? 1 : (double) shipped.get() / records.get();
                indexed = Math.min(shipped.get(), Math.round(Math.max(0, committed - committedAtStart) * perRecord));
                if (target != null && reached(admin.get(), group, target)) {
                    progress.finish(total);
                    archiveAll();
                    return 0;
                }
                progress.update(shipped.get(), indexed);
                Thread.sleep(terminal ? 200 : 250);
            }
            System.out.println();
            System.err.printf("caravan: gave up after %d s: %d of %d lines indexed%n", timeoutSeconds, indexed, total);
            return 1;
        } finally {
            deleteTree(scratch);
        }
    }

    private void archiveAll() throws IOException {
        if (archive == null) {
            return;
        }
        caravan.ship.FileArchiver archiver = new caravan.ship.FileArchiver(archive, java.time.Clock.systemUTC());
        for (Path p : paths) {
            Path to = archiver.archive(p);
            Files.delete(p);
            System.out.println("archived " + p + " as " + to);
        }
    }

    static long countLines(Path p) throws IOException {
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(p)) {
            for (int r; (r = in.read(buf)) > 0; ) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
            }
        }
        return n; // the tailer ships complete lines only
    }

    private static long committed(Admin a, String group) {
        try {
            return a.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .values().stream().filter(o -> o != null).mapToLong(OffsetAndMetadata::offset).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin a, String topic) throws Exception {
        var parts = a.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).partitions();
        Map<TopicPartition, OffsetSpec> q = new HashMap<>();
        parts.forEach(p -> q.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        Map<TopicPartition, Long> out = new HashMap<>();
        a.listOffsets(q).all().get(10, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private static boolean reached(Admin a, String group, Map<TopicPartition, Long> target) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> c = a.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        for (Map.Entry<TopicPartition, Long> t : target.entrySet()) {
            OffsetAndMetadata o = c.get(t.getKey());
            if (t.getValue() > 0 && (o == null || o.offset() < t.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static void deleteTree(Path dir) {
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            // A temp directory left behind is harmless.
        }
    }
}
