package caravan.ship.tail;

import caravan.devstack.DevStack;
import caravan.devstack.KafkaServer;
import caravan.event.Envelope;
import caravan.ops.ConfigValidator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * File to Kafka throughput, Caravan against Kafka's own producer on the same broker: see
 * {@code bench/ship.sh}. Not a test: a main, run by the script.
 *
 * <p>Caravan: a file of N corpus lines, {@code tail:} from its beginning into the real ship route
 * (envelope, idempotent producer, acks=all, and the product's codec, linger and batch size), timed
 * from the context start until the topic holds N records. Kafka:
 * {@code org.apache.kafka.tools.ProducerPerformance} in its own JVM sending N records taken from the
 * envelopes of the same corpus lines, with the same producer settings. rsyslog ({@code imfile -> omkafka}, when {@code -Drsyslogd} names the binary): the same
 * file read from its beginning into an envelope of the same shape, timed like Caravan ({@link RsyslogRun}).
 * Runs alternate, so that all see the broker in the same state; the median is reported.
 */
public final class ShipBench {
    private static final Pattern JMX_OPTION = Pattern.compile("&jmxStatistics=(\\w+)");
    private static final Pattern PP_SUMMARY = Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\)");

    private ShipBench() {
    }

    public static void main(String[] args) throws Exception {
        int lines = Integer.getInteger("lines", 2_000_000);
        int runs = Integer.getInteger("runs", 3);
        String tailOptions = System.getProperty("tailOptions", "");
        String producerExtra = System.getProperty("producerExtra", "");
        Path work = Files.createDirectories(Path.of(System.getProperty("work", "target/bench-ship")));
        Path corpus = Path.of("src/test/resources/corpus/apache_combined_10k.log");

        List<String> corpusLines = Files.readAllLines(corpus, StandardCharsets.UTF_8);
        Path file = work.resolve("access.log");
        long fileBytes = repeat(corpusLines, lines, file);
        Path payloads = work.resolve("envelopes.txt");
        double envelopeSize = envelopes(corpusLines, file, payloads);
        System.out.printf("corpus: %d lines, %.1f MB, average line %.0f bytes, average envelope %.0f bytes"
                        + " (%.0f a line in records of 64 with the file's fields once)%n",
                lines, fileBytes / 1e6, (double) fileBytes / lines, envelopeSize, shortLineSize(corpusLines, file, 64));

        // More Caravan configurations (e.g. batches against none; tailOptionsB, separated by ';'), run in
        // the same rounds, each against the same producer run: the only fair comparison on a machine
        // whose load drifts. A configuration may carry &jmxStatistics=<level>, taken out of the URI.
        List<String> configs = new ArrayList<>(List.of(tailOptions));
        for (String more : System.getProperty("tailOptionsB", "").split(";")) {
            if (!more.isBlank()) {
                configs.add(more.trim());
            }
        }
        try (KafkaServer kafka = new KafkaServer(work.resolve("kafka")).heap(System.getProperty("kafkaHeap", "768m")).start()) {
            String bootstrap = kafka.bootstrap();
            List<List<Double>> caravan = new ArrayList<>();
            List<List<Double>> ratios = new ArrayList<>();
            List<List<Double>> caravanCpu = new ArrayList<>();
            List<List<Double>> rsyslogRatios = new ArrayList<>();
            for (int c = 0; c < configs.size(); c++) {
                rsyslogRatios.add(new ArrayList<>());
                caravan.add(new ArrayList<>());
                ratios.add(new ArrayList<>());
                caravanCpu.add(new ArrayList<>());
            }
            List<Double> producer = new ArrayList<>();
            List<Double> producerCpu = new ArrayList<>();
            String rsyslogd = System.getProperty("rsyslogd", "");
            List<Double> rsyslog = new ArrayList<>();
            List<Double> rsyslogCpu = new ArrayList<>();
            // Warm-up, untimed: the broker's JIT (its throughput triples over the first million
            // records) and Caravan's. ProducerPerformance starts a fresh JVM per run anyway.
            int warm = Integer.getInteger("warmup", 2_000_000);
            runProducerPerformance(bootstrap, payloads, warm, work, "pp-warmup", producerExtra);
            for (int c = 0; c < configs.size(); c++) {
                runCaravan(bootstrap, file, Math.min(lines, warm), work, "warmup-" + c, configs.get(c));
            }
            if (!rsyslogd.isBlank()) {
                RsyslogRun.run(rsyslogd, bootstrap, file, lines, work, "rsyslog-warmup");
            }
            for (int r = 1; r <= runs; r++) {
                // Adjacent runs: on a shared machine the load drifts, so each Caravan run is compared
                // with the producer run right before it.
                long broker = brokerCpuNanos(kafka);
                double[] pp = runProducerPerformance(bootstrap, payloads, lines, work, "pp-" + r, producerExtra);
                producer.add(pp[0]);
                producerCpu.add(pp[1]);
                System.out.printf("run %d: kafka-producer-perf-test %.0f records/s (%.1f us CPU/record; the broker %.2f),"
                        + " load %s%n", r, pp[0], pp[1], (brokerCpuNanos(kafka) - broker) / 1e3 / lines, load());
                if (!rsyslogd.isBlank()) {
                    double[] rs = RsyslogRun.run(rsyslogd, bootstrap, file, lines, work, "rsyslog-" + r);
                    rsyslog.add(rs[0]);
                    rsyslogCpu.add(rs[1]);
                    System.out.printf("run %d: rsyslog imfile->omkafka %.0f lines/s (%.1f us CPU/line), load %s%n",
                            r, rs[0], rs[1], load());
                }
                for (int c = 0; c < configs.size(); c++) {
                    broker = brokerCpuNanos(kafka);
                    double[] cv = runCaravan(bootstrap, file, lines, work, "caravan-" + r + "-" + c, configs.get(c));
                    double brokerPerLine = (brokerCpuNanos(kafka) - broker) / 1e3 / lines;
                    caravan.get(c).add(cv[0]);
                    caravanCpu.get(c).add(cv[1]);
                    ratios.get(c).add(cv[0] / pp[0]);
                    if (!rsyslog.isEmpty()) {
                        rsyslogRatios.get(c).add(cv[0] / rsyslog.get(r - 1));
                    }
                    System.out.printf("run %d: caravan [%s] %.0f lines/s (%.1f us CPU/line, of which the reader %.2f, the"
                            + " producer's I/O thread %.2f; the broker %.2f), ratio %.1f%%%s, load %s%n",
                            r, configs.get(c), cv[0], cv[1], cv[2], cv[3], brokerPerLine, 100 * cv[0] / pp[0],
                            rsyslog.isEmpty() ? "" : String.format(", %.2fx rsyslog", cv[0] / rsyslog.get(r - 1)), load());
                }
            }
            StringBuilder out = new StringBuilder();
            for (int c = 0; c < configs.size(); c++) {
                out.append(String.format("RESULT [%s] lines=%d envelope=%.0fB caravan=%.0f lines/s producer-perf=%.0f records/s"
                        + " ratio=%.1f%% (median of %d adjacent pairs %s; CPU per line: caravan %.1f us, producer %.1f us;"
                        + " caravan runs %s, producer runs %s)%n",
                        configs.get(c), lines, envelopeSize, median(caravan.get(c)), median(producer),
                        100 * median(ratios.get(c)), runs,
                        ratios.get(c).stream().map(x -> String.format("%.0f%%", 100 * x)).toList(),
                        median(caravanCpu.get(c)), median(producerCpu), round(caravan.get(c)), round(producer)));
                if (!rsyslog.isEmpty()) {
                    out.append(String.format("RESULT [%s] rsyslog=%.0f lines/s caravan/rsyslog=%.2fx (median of %d adjacent"
                            + " pairs %s; CPU per line: rsyslog %.1f us; rsyslog runs %s)%n",
                            configs.get(c), median(rsyslog), median(rsyslogRatios.get(c)), runs,
                            rsyslogRatios.get(c).stream().map(x -> String.format("%.2fx", x)).toList(),
                            median(rsyslogCpu), round(rsyslog)));
                }
            }
            System.out.print(out);
            Files.writeString(work.resolve("result.txt"), out.toString());
        }
    }

    /**
     * Caravan's lines/s for shipping the first {@code lines} lines of {@code file}, and the CPU time
     * per line of this JVM meanwhile (reader, Camel, the Kafka producer's threads), of the tail
     * reader's thread (the one a source never has more of: its CPU per line caps the lines/s) and of
     * the Kafka producer's I/O thread.
     */
    static double[] runCaravan(String bootstrap, Path file, int lines, Path work, String name, String tailOptions)
            throws Exception {
        String topic = "ship-bench-" + name + "-" + System.nanoTime();
        createTopic(bootstrap, topic);
        Path source = file;
        if (lines < count(file)) {
            source = work.resolve(name + ".log");
            try (var in = Files.lines(file)) {
                Files.write(source, (Iterable<String>) in.limit(lines)::iterator);
            }
        }
        String stats = System.getProperty("jmxStatistics");
        Matcher level = JMX_OPTION.matcher(tailOptions);
        if (level.find()) {
            stats = level.group(1);
            tailOptions = level.replaceAll("");
        }
        Path checkpoints = work.resolve("checkpoints-" + name);
        String uri = "tail:" + source.toAbsolutePath() + "?checkpointDir=" + checkpoints + "&format=combined&service=web"
                + tailOptions;
        CamelContext ctx = ShipRig.shipContext(bootstrap, topic, uri);
        if (stats == null || stats.isBlank()) {
            stats = productStatisticsLevel();
        }
        if (stats != null && !stats.isBlank()) {
            // camel-main's camel.main.jmxManagementStatisticsLevel, as the product sets it (this context
            // is not built by camel-main); Camel's own default, Default, times every processor
            ctx.build();
            ctx.getManagementStrategy().getManagementAgent()
                    .setStatisticsLevel(org.apache.camel.ManagementStatisticsLevel.valueOf(stats));
        }
        java.util.concurrent.atomic.LongAdder shipped = countShipped(ctx);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        ctx.start();
        while (shipped.sum() < lines) {
            Thread.sleep(20);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuPerLine = (processCpuNanos() - cpu0) / 1e3 / lines;
        // both threads are new with this context: their whole CPU time is this run's
        double reader = threadCpuNanos(" - tail-") / 1e3 / lines;
        double producerIo = threadCpuNanos("kafka-producer-network-thread") / 1e3 / lines;
        ctx.stop();
        return new double[] {lines / seconds, cpuPerLine, reader, producerIo};
    }

    /** CPU nanoseconds of the live threads whose name contains {@code part}. */
    private static long threadCpuNanos(String part) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && t.getThreadName().contains(part)) {
                sum += Math.max(0, mx.getThreadCpuTime(t.getThreadId()));
            }
        }
        return sum;
    }

    /**
     * The lines of the tail route's exchanges Kafka has acknowledged, counted as each completes: a
     * record may hold several lines ({@code caravan.ship.kafka.lines-per-record}), so the topic's
     * end offset does not say how many lines are there.
     */
    static java.util.concurrent.atomic.LongAdder countShipped(CamelContext ctx) throws Exception {
        java.util.concurrent.atomic.LongAdder shipped = new java.util.concurrent.atomic.LongAdder();
        org.apache.camel.support.EventNotifierSupport notifier = new org.apache.camel.support.EventNotifierSupport() {
            @Override
            public void notify(org.apache.camel.spi.CamelEvent event) {
                if (event instanceof org.apache.camel.spi.CamelEvent.ExchangeCompletedEvent done
                        && done.getExchange().getException() == null) {
                    shipped.add(done.getExchange().getProperty(caravan.ship.EnvelopeProcessor.LINES, 1, Integer.class));
                }
            }
        };
        notifier.setIgnoreExchangeCreatedEvent(true);
        notifier.setIgnoreExchangeSendingEvents(true);
        notifier.setIgnoreExchangeSentEvents(true);
        notifier.setIgnoreExchangeFailedEvents(true);
        notifier.setIgnoreExchangeRedeliveryEvents(true);
        notifier.setIgnoreExchangeAsyncProcessingStartedEvents(true);
        notifier.setIgnoreStepEvents(true);
        ctx.getManagementStrategy().addEventNotifier(notifier);
        return shipped;
    }

    /**
     * A producer setting of Caravan's ({@code caravan.ship.kafka.<name>}) as its ship route gets it: a
     * system property of that name (which Camel's properties prefer), else the built-in default.
     */
    static String shipSetting(String name) {
        String key = "caravan.ship.kafka." + name;
        return System.getProperty(key, ConfigValidator.loadDefaults().getProperty(key));
    }

    /** The statistics level Caravan's built-in application.properties gives camel-main. */
    static String productStatisticsLevel() {
        return ConfigValidator.loadDefaults().getProperty("camel.main.jmx-management-statistics-level");
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    /**
     * kafka-producer-perf-test in its own JVM: records/s as it reports them, and its CPU time per
     * record (sampled while it runs, so a little low).
     */
    static double[] runProducerPerformance(String bootstrap, Path payloads, int records, Path work, String name,
                                         String producerExtra) throws Exception {
        String topic = "ship-bench-" + name + "-" + System.nanoTime();
        createTopic(bootstrap, topic);
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", DevStack.kafkaClasspath(), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic, "--num-records", Integer.toString(records), "--throughput", "-1",
                "--payload-file", payloads.toAbsolutePath().toString(),
                "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true",
                "linger.ms=" + shipSetting("linger-ms"), "compression.type=" + shipSetting("compression"),
                "batch.size=" + shipSetting("batch-size"), "max.request.size=8388608"));
        for (String p : producerExtra.split(" ")) {
            if (!p.isBlank()) {
                cmd.add(p);
            }
        }
        Path log = work.resolve(name + ".out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long cpu = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
            cpu = p.toHandle().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(cpu);
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("ProducerPerformance did not finish; see " + log);
            }
        }
        String out = Files.readString(log);
        Matcher m = PP_SUMMARY.matcher(out);
        double last = -1;
        while (m.find()) {
            if (Long.parseLong(m.group(1)) == records) {
                last = Double.parseDouble(m.group(2));
            }
        }
        if (last < 0) {
            throw new IllegalStateException("no summary from ProducerPerformance:\n" + out);
        }
        return new double[] {last, cpu / 1e3 / records};
    }

    private static long repeat(List<String> corpus, int lines, Path file) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < lines; i++) {
                w.write(corpus.get(i % corpus.size()));
                w.write('\n');
            }
        }
        return Files.size(file);
    }

    /** The envelopes Caravan would send for the corpus lines, one per line: the producer's payloads. */
    private static double envelopes(List<String> corpus, Path file, Path out) throws IOException {
        long total = 0;
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Envelope e : corpusEnvelopes(corpus, file)) {
                byte[] json = e.toJson();
                w.write(new String(json, StandardCharsets.UTF_8));
                w.write('\n');
                total += json.length;
            }
        }
        return (double) total / corpus.size();
    }

    /** The corpus lines' envelopes, as the shipper makes them for {@code file}: one file's fields, each line's offset. */
    private static List<Envelope> corpusEnvelopes(List<String> corpus, Path file) {
        List<Envelope> all = new ArrayList<>(corpus.size());
        long offset = 0;
        for (String line : corpus) {
            all.add(new Envelope(line, file.toAbsolutePath().toString(), offset, "bench-host", "apache.access",
                    "2026-11-24T04:05:06.789Z", "web", "tail-src", "combined", "fe00-20c923-7174424e0fae6467"));
            offset += line.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        return all;
    }

    /** The broker JVM's CPU time so far, in nanoseconds (its work per line is part of what a layout costs). */
    private static long brokerCpuNanos(KafkaServer kafka) {
        return ProcessHandle.of(kafka.pid()).flatMap(h -> h.info().totalCpuDuration())
                .map(java.time.Duration::toNanos).orElse(0L);
    }

    /** What a corpus line weighs in records of {@code perRecord} with the file's fields in a header: value and header. */
    private static double shortLineSize(List<String> corpus, Path file, int perRecord) {
        List<Envelope> all = corpusEnvelopes(corpus, file);
        long total = 0;
        for (int from = 0; from < all.size(); from += perRecord) {
            int to = Math.min(all.size(), from + perRecord);
            total += Envelope.toShortLines(all, from, to).length + Envelope.fileFieldsJson(all.get(from)).length;
        }
        return (double) total / all.size();
    }

    private static long count(Path file) throws IOException {
        try (var s = Files.lines(file)) {
            return s.count();
        }
    }

    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    static void createTopic(String bootstrap, String topic) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    static long endOffset(Admin admin, String topic) throws Exception {
        return admin.listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest())).all()
                .get(30, TimeUnit.SECONDS).values().iterator().next().offset();
    }

    private static double median(List<Double> l) {
        List<Double> s = new ArrayList<>(l);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    private static String round(List<Double> l) {
        return l.stream().map(d -> String.format("%.0f", d)).toList().toString();
    }
}
