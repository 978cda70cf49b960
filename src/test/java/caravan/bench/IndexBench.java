package caravan.bench;

import caravan.common.Metrics;
import caravan.devstack.DevStack;
import caravan.enrich.Enricher;
import caravan.enrich.chain.Enrichers;
import caravan.event.Envelope;
import caravan.event.LogEvent;
import caravan.index.EnrichProcessor;
import caravan.index.IndexBatch;
import caravan.index.IndexTemplates;
import caravan.index.PendingDoc;
import caravan.index.RenderProcessor;
import caravan.it.TestSettings;
import caravan.ops.CaravanRuntime;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import caravan.search.ElasticsearchClients;
import caravan.search.SearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

/**
 * Kafka → Elasticsearch throughput of the index route against raw {@code _bulk} of the very same
 * documents into the same node, in one run (bench/index.sh; results in BENCHMARKS.md).
 *
 * <p>The documents are rendered once up front by Caravan's own parse, enrich (GeoIP with the test
 * databases, user agent, bots, threats) and render code, exactly as the route renders them; "raw"
 * then sends them with the low-level client in NDJSON requests of the same size as the route's,
 * as many at a time as the route keeps in flight. "caravan" consumes the same lines as envelopes
 * from Kafka, put there as its shipper puts them (up to {@code caravan.ship.kafka.lines-per-record}
 * to a record; {@code caravan.ship.kafka.lines-per-record=1} as an argument gives one per record), and
 * does everything: poll, parse, enrich, render, bulk with per-item checks, DLQ step, commit.
 * Each round writes into fresh indices (its own namespace). After an uncounted warm-up round, the
 * rounds alternate which side goes first; the figure is the median of the rounds' caravan/raw
 * ratios. Timing is from the first to the last document indexed, so start-up is left out of both.
 *
 * <p>Arguments: {@code [lines] [rounds] [key=value settings for the indexer...]}.
 */
public final class IndexBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        // Both sides enrich alike: the jar's defaults, with the GeoIP test databases the tests use.
        Properties extra = new Properties();
        extra.setProperty("caravan.enrich.geoip.city-db", "src/test/resources/geoip/GeoLite2-City-Test.mmdb");
        extra.setProperty("caravan.enrich.geoip.asn-db", "src/test/resources/geoip/GeoLite2-ASN-Test.mmdb");
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            extra.setProperty(kv[0], kv[1]);
        }
        io.micrometer.core.instrument.Metrics.addRegistry(new SimpleMeterRegistry());
        try (DevStack stack = DevStack.start()) {
            pinElasticsearch(stack);
            List<String> corpus = parseable();
            List<ProducerRecord<String, byte[]>> envelopes = new ArrayList<>(lines);
            for (int i = 0; i < lines; i++) {
                String line = corpus.get(i % corpus.size());
                Envelope env = new Envelope(line, "/var/log/apache2/bench-" + (i % 4) + ".log", (long) i * 300, "bench",
                        "apache.access", "2026-11-24T04:05:06.789Z", "web", "bench", "combined", "bench-" + (i % 4));
                envelopes.add(new ProducerRecord<>("bench", env.key(), env.toJson()));
            }
            int bulkDocs = Integer.parseInt(extra.getProperty("caravan.index.bulk.max-docs", "1000"));
            int inFlight = Integer.parseInt(extra.getProperty("caravan.index.bulk.in-flight", "3"));
            try (RestClient client = ElasticsearchClients.create(stack.elasticsearchUrl(), null, null, null)) {
                // The template as Caravan installs it, so both sides index into identical mappings.
                Request put = new Request("PUT", "/_index_template/" + IndexTemplates.NAME);
                put.setJsonEntity(IndexTemplates.render(1, 0, "1s"));
                client.performRequest(put);
                Properties defaults = new Properties();
                try (var in = IndexBench.class.getResourceAsStream("/application.properties")) {
                    defaults.load(in);
                }
                defaults.putAll(extra);
                List<Enricher> enrichers = Enrichers.fromSettings(defaults::getProperty);
                List<Double> raw = new ArrayList<>();
                List<Double> caravan = new ArrayList<>();
                // Round 0 warms up both JVMs and the node (its indexing time per document falls about
                // fourfold over the first few hundred thousand documents) and is left out. Then the
                // order alternates (raw first, then Caravan first) so that drift favours neither side,
                // and each round's ratio compares the two runs next to each other.
                List<Double> ratios = new ArrayList<>();
                for (int r = 0; r <= rounds; r++) {
                    boolean rawFirst = r % 2 == 0;
                    double rawRate = 0;
                    double caravanRate = 0;
                    for (int side = 0; side < 2; side++) {
                        if ((side == 0) == rawFirst) {
                            rawRate = rawBulk(client, render(envelopes, "raw" + r, enrichers), bulkDocs, inFlight);
                            System.out.printf(Locale.ROOT, "round %d raw _bulk: %.0f docs/s%s%n", r, rawRate,
                                    nodeSide(client, "raw" + r));
                        } else {
                            caravanRate = pipeline(stack, client, envelopes, "pipe" + r, extra);
                            System.out.printf(Locale.ROOT, "round %d caravan:   %.0f docs/s%s%n", r, caravanRate,
                                    nodeSide(client, "pipe" + r));
                        }
                    }
                    if (r > 0) {
                        raw.add(rawRate);
                        caravan.add(caravanRate);
                        ratios.add(caravanRate / rawRate);
                    }
                }
                List<String> pct = ratios.stream().map(x -> String.format(Locale.ROOT, "%.0f%%", 100 * x)).toList();
                System.out.printf(Locale.ROOT, "%nlines %d, bulk %d docs, %d request(s) in flight, %d rounds after a warm-up%n"
                                + "raw _bulk median  %.0f docs/s %s%n"
                                + "caravan median    %.0f docs/s %s%n"
                                + "ratio             %.1f %% (median of the rounds' ratios %s)%n", lines, bulkDocs, inFlight,
                        rounds, median(raw), raw, median(caravan), caravan, 100 * median(ratios), pct);
            }
        }
    }

    private static List<String> parseable() throws Exception {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/corpus/apache_combined_10k.log"))) {
            try {
                Parsers.forFormat("combined").parse(line, new LogEvent());
                out.add(line);
            } catch (ParseException e) {
                // left out: the bench indexes only documents
            }
        }
        return out;
    }

    /** The documents the route would send, rendered by its own processors. */
    private static List<PendingDoc> render(List<ProducerRecord<String, byte[]>> envelopes, String namespace,
                                           List<Enricher> enrichers) throws Exception {
        DefaultCamelContext ctx = new DefaultCamelContext();
        List<Exchange> records = new ArrayList<>(envelopes.size());
        long offset = 0;
        for (ProducerRecord<String, byte[]> r : envelopes) {
            Exchange e = new DefaultExchange(ctx);
            e.getMessage().setHeader(KafkaConstants.TOPIC, "bench");
            e.getMessage().setHeader(KafkaConstants.PARTITION, 0);
            e.getMessage().setHeader(KafkaConstants.OFFSET, offset++);
            e.getMessage().setBody(r.value());
            records.add(e);
        }
        Exchange batch = new DefaultExchange(ctx);
        batch.getMessage().setBody(records);
        new caravan.index.ParseBatchProcessor().process(batch);
        for (Enricher enricher : enrichers) {
            new EnrichProcessor(enricher).process(batch);
        }
        new RenderProcessor(namespace).process(batch);
        return batch.getMessage().getBody(IndexBatch.class).docs();
    }

    /**
     * Raw _bulk with create operations, {@code inFlight} requests at a time (as many as the route keeps
     * in flight); docs/s from the first request to the last response.
     */
    private static double rawBulk(RestClient client, List<PendingDoc> docs, int perRequest, int inFlight)
            throws Exception {
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(inFlight);
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < inFlight; w++) {
            workers.add(pool.submit(() -> {
                int from;
                while ((from = next.getAndAdd(perRequest)) < docs.size()) {
                    sendRaw(client, docs.subList(from, Math.min(docs.size(), from + perRequest)));
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
        return docs.size() / ((System.nanoTime() - start) / 1e9);
    }

    private static void sendRaw(RestClient client, List<PendingDoc> chunk) throws Exception {
        ByteArrayOutputStream body = new ByteArrayOutputStream(chunk.size() * 700);
        for (PendingDoc d : chunk) {
            body.write(("{\"create\":{\"_index\":\"" + d.index() + "\",\"_id\":\"" + d.id() + "\"}}\n")
                    .getBytes(StandardCharsets.UTF_8));
            body.write(d.json());
            body.write('\n');
        }
        Request bulk = new Request("POST", "/_bulk");
        bulk.setEntity(new ByteArrayEntity(body.toByteArray(), ContentType.create("application/x-ndjson")));
        JsonNode resp = JSON.readTree(client.performRequest(bulk).getEntity().getContent());
        if (resp.path("errors").asBoolean()) {
            throw new IllegalStateException("raw bulk had errors: " + resp.path("items").get(0));
        }
    }

    /** A shipper setting ({@code caravan.ship.kafka.*}): of the bench's settings, else the jar's default. */
    private static String shipSetting(Properties extra, String key) throws java.io.IOException {
        Properties defaults = new Properties();
        try (var in = IndexBench.class.getResourceAsStream("/application.properties")) {
            defaults.load(in);
        }
        return extra.getProperty(key, defaults.getProperty(key)).trim();
    }

    /**
     * The envelopes as Caravan's shipper puts them on the topic: each file's lines in order, up to
     * {@code perRecord} to a record, with the lines header; with {@code fileFieldsOnce}, the file's
     * fields in the record's header and short lines, as the shipper's default writes them.
     */
    static List<ProducerRecord<String, byte[]>> asShipped(List<ProducerRecord<String, byte[]>> envelopes, int perRecord,
                                                          boolean fileFieldsOnce) {
        Map<String, List<byte[]>> byFile = new java.util.LinkedHashMap<>();
        envelopes.forEach(r -> byFile.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value()));
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        byFile.forEach((key, values) -> {
            for (int from = 0; from < values.size(); from += perRecord) {
                List<byte[]> group = values.subList(from, Math.min(values.size(), from + perRecord));
                if (group.size() == 1) {
                    records.add(new ProducerRecord<>("bench", key, group.get(0)));
                    continue;
                }
                List<Envelope> parsed = group.stream().map(Envelope::fromJson).toList();
                byte[] fields = Envelope.fileFieldsJson(parsed.get(0)).clone();
                boolean shared = fileFieldsOnce && parsed.stream()
                        .allMatch(e -> e.id() == null && java.util.Arrays.equals(Envelope.fileFieldsJson(e), fields));
                ProducerRecord<String, byte[]> r = new ProducerRecord<>("bench", key,
                        shared ? Envelope.toShortLines(parsed, 0, parsed.size()) : Envelope.toJsonLines(parsed, 0, parsed.size()));
                r.headers().add(Envelope.LINES_HEADER, String.valueOf(group.size()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                if (shared) {
                    r.headers().add(Envelope.FILE_HEADER, fields);
                }
                records.add(r);
            }
        });
        return records;
    }

    /** The index route over the same lines from Kafka; docs/s from the first to the last indexed. */
    private static double pipeline(DevStack stack, RestClient client, List<ProducerRecord<String, byte[]>> envelopes,
                                   String namespace, Properties extra) throws Exception {
        String topic = "bench-" + namespace;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap(), ProducerConfig.LINGER_MS_CONFIG, 20,
                ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> acks = new ArrayList<>();
            for (ProducerRecord<String, byte[]> r : asShipped(envelopes,
                    Integer.parseInt(shipSetting(extra, "caravan.ship.kafka.lines-per-record")),
                    Boolean.parseBoolean(shipSetting(extra, "caravan.ship.kafka.file-fields-once")))) {
                acks.add(producer.send(new ProducerRecord<>(topic, null, r.key(), r.value(), r.headers())));
            }
            for (Future<?> a : acks) {
                a.get();
            }
        }
        Path routes = Files.createTempDirectory("bench-routes");
        Properties p = TestSettings.indexing(stack.kafkaBootstrap(), stack.elasticsearchUrl(), topic, topic + "-dlq",
                "bench-" + namespace, namespace, routes);
        p.setProperty("caravan.ship.enabled", "false");
        p.putAll(extra);
        var indexed = Metrics.processed("index", "apache.access");
        double before = indexed.count();
        long target = envelopes.size();
        CaravanRuntime rt = new CaravanRuntime(null, p).start();
        try {
            long first = 0;
            long last;
            while (true) {
                double done = indexed.count() - before;
                long now = System.nanoTime();
                if (first == 0 && done > 0) {
                    first = now;
                }
                if (done >= target) {
                    last = now;
                    break;
                }
                Thread.sleep(5);
            }
            SearchClient es = new SearchClient(client);
            es.refresh("logs-*-" + namespace + "-*");
            long count = es.count("logs-*-" + namespace + "-*");
            if (count != target) {
                throw new IllegalStateException("caravan indexed " + count + " of " + target);
            }
            // The first batch's own bulk time is missed by "first": add one batch's worth back.
            double batches = Math.ceil(target / Double.parseDouble(p.getProperty("caravan.index.batch.records", "1000")));
            double seconds = (last - first) / 1e9 * batches / Math.max(1, batches - 1);
            return target / seconds;
        } finally {
            rt.close();
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /**
     * With {@code -Dcaravan.bench.es-cpus=1} (bench/index.sh sets it on 2+ cores), the node gets CPUs
     * of its own: this JVM (raw client, Caravan) and Kafka keep the others. Otherwise Caravan's parse,
     * enrich and render would take CPU from the very node it is compared against, as no production
     * deployment on separate machines does.
     */
    private static void pinElasticsearch(DevStack stack) throws Exception {
        String cpus = System.getProperty("caravan.bench.es-cpus", "");
        if (cpus.isBlank()) {
            System.out.println("cpus: shared by Elasticsearch, Kafka and this JVM");
            return;
        }
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", cpus, Long.toString(stack.elasticsearch().pid()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (taskset.waitFor() != 0) {
            throw new IllegalStateException("taskset could not pin Elasticsearch to CPUs " + cpus);
        }
        System.out.printf("cpus: Elasticsearch on %s; Kafka and this JVM on %s%n", cpus,
                System.getProperty("caravan.bench.bench-cpus", "the rest"));
    }

    /** What the node saw of one side's indices: its indexing time per document and the bulk shards' sizes. */
    private static String nodeSide(RestClient client, String namespace) throws Exception {
        JsonNode all = JSON.readTree(client.performRequest(new Request("GET",
                "/logs-*-" + namespace + "-*/_stats/indexing,bulk")).getEntity().getContent()).path("_all").path("primaries");
        JsonNode indexing = all.path("indexing");
        JsonNode bulk = all.path("bulk");
        return String.format(Locale.ROOT, "  (node: %.1f us indexing per doc, %d shard bulks, %.0f bytes per shard bulk)",
                1000.0 * indexing.path("index_time_in_millis").asLong() / Math.max(1, indexing.path("index_total").asLong()),
                bulk.path("total_operations").asLong(), bulk.path("avg_size_in_bytes").asDouble());
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(Double::compare);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
