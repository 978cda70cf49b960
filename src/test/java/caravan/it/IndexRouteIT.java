package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.Metrics;
import caravan.index.DlqHeaders;
import caravan.index.IndexBatch;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.builder.AdviceWith;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The index route's own safety nets: the dead letter channel for a step that throws, and the throttles. */
class IndexRouteIT {

    @Test
    void offsetsWaitForTheCommitIntervalAndAStopCommitsThemAtOnce() throws Exception {
        try (Pipeline p = new Pipeline()) {
            index500(p, "interval", "caravan.index.commit-interval-ms", "3600000");
            Thread.sleep(1_000); // several polls after the last batch: none commits within the interval
            assertThat(p.committed()).as("not yet: the interval has not passed").isZero();

            p.stop();
            assertThat(p.committed()).as("the stop commits what was indexed").isEqualTo(500);
        }
    }

    @Test
    void theLastBatchesInFlightAreFinishedAfterTheIdleFlushNotThePoll() throws Exception {
        try (Pipeline p = new Pipeline()) {
            index500(p, "flush", "caravan.index.commit-interval-ms", "0", "caravan.index.batch.records", "100",
                    "caravan.index.batch.idle-flush-ms", "3600000");
            Thread.sleep(1_500); // several empty polls (200 ms): none finishes the batches still in the window
            assertThat(p.committed()).as("indexed, but the window's last batches are not finished yet")
                    .isGreaterThan(0).isLessThan(500);
        }
    }

    /**
     * After a poll that brought records, the next comes back empty at once when Kafka has no more, and
     * the batch goes on. Before the paced consumer, a lone record waited for an empty poll of poll-ms.
     * Its batch, sent ahead, is finished between polls and committed without more lines coming: after
     * the next idle poll, and within the commit interval.
     */
    @Test
    void aLoneLineIsIndexedAtOnceAndCommittedAfterTheNextIdlePoll() throws Exception {
        try (Pipeline p = new Pipeline()) {
            var lines = startWithFirstLine(p, "lone", 4, "caravan.index.batch.poll-ms", "6000");
            p.awaitCount(1, Duration.ofMinutes(1)); // the consumer has joined, and now idles in polls of 6 s
            for (int i = 1; i < 4; i++) {
                long start = System.nanoTime();
                p.produce(p.topic, lines.subList(i, i + 1));
                p.awaitCount(i + 1, Duration.ofSeconds(30));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("line %d: searchable", i)
                        .isLessThan(Duration.ofMillis(3_000));
                p.awaitAllCommitted(i + 1, Duration.ofSeconds(30));
                assertThat(Duration.ofNanos(System.nanoTime() - start)).as("line %d: committed", i)
                        .isLessThan(Duration.ofMillis(6_000 + 4_000));
            }
        }
    }

    /** Starts an indexer (no shipper) with one setting, produces the first of {@code n} corpus lines, and returns them all. */
    private static List<org.apache.kafka.clients.producer.ProducerRecord<String, byte[]>> startWithFirstLine(Pipeline p,
            String name, int n, String key, String value) throws Exception {
        Properties props = p.properties();
        props.setProperty("caravan.ship.enabled", "false");
        props.setProperty(key, value);
        var lines = new Lines(name + "-host", name + "-" + p.id).corpusLines(n).records;
        p.start(props);
        p.produce(p.topic, lines.subList(0, 1));
        return lines;
    }

    /** Starts an indexer (no shipper) with {@code settings} (key, value, ...) and indexes 500 corpus lines produced to its topic. */
    private static void index500(Pipeline p, String name, String... settings) throws Exception {
        Lines gen = new Lines(name + "-host", name + "-" + p.id).corpusLines(500);
        Properties props = p.properties();
        props.setProperty("caravan.ship.enabled", "false");
        for (int i = 0; i < settings.length; i += 2) {
            props.setProperty(settings[i], settings[i + 1]);
        }
        p.start(props);
        p.produce(p.topic, gen.records);
        p.awaitCount(500, Duration.ofMinutes(1));
    }

    @Test
    void aStepThatThrowsSendsItsBatchToTheDlqOnceAndTheRouteGoesOn() throws Exception {
        try (Pipeline p = new Pipeline()) {
            Lines gen = new Lines("poison-host", "poison-" + p.id);
            List<String> corpus = Lines.parseableCorpus();
            for (int i = 0; i < 3_000; i++) {
                // The marker sits in the URL, so the line still parses and reaches the buggy step.
                gen.line(i == 1_234 ? corpus.get(i).replaceFirst("\"([A-Z]+) /", "\"$1 /POISON/") : corpus.get(i), "combined");
            }
            Properties props = p.properties();
            props.setProperty("caravan.ship.enabled", "false");
            props.setProperty("caravan.index.batch.records", "500");
            p.start(props);
            // A step that blows up on one batch, as an enricher bug would.
            AdviceWith.adviceWith(p.runtime().context(), "index", r -> r.weaveById("render").before().process(e -> {
                if (e.getMessage().getBody(IndexBatch.class).items().stream()
                        .anyMatch(i -> i.event().message.contains("/POISON/"))) {
                    throw new IllegalStateException("enricher bug");
                }
            }).id("buggy-step"));
            p.produce(p.topic, gen.records);

            p.awaitAllCommitted(3_000, Duration.ofMinutes(2));
            List<ConsumerRecord<String, byte[]>> dlq = p.readAll(p.dlqTopic());
            // The whole batch that held the poison, once; every other batch indexed.
            assertThat(dlq).isNotEmpty().hasSizeLessThanOrEqualTo(500);
            assertThat(p.count()).isEqualTo(3_000 - dlq.size());
            assertThat(dlq).allSatisfy(r -> assertThat(DlqHeaders.read(r.headers()))
                    .containsEntry(DlqHeaders.STAGE, "buggy-step")
                    .containsEntry(DlqHeaders.EXCEPTION, "java.lang.IllegalStateException")
                    .hasEntrySatisfying(DlqHeaders.REASON, v -> assertThat(v).contains("enricher bug")));
            assertThat(dlq.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)))
                    .anyMatch(v -> v.contains("/POISON/"));
            Thread.sleep(2_000);
            assertThat(p.readAll(p.dlqTopic())).hasSameSizeAs(dlq); // handled once, not again and again
        }
    }

    @Test
    void throttlesSlowBothRoutesDownAndDropNothing() throws Exception {
        try (Pipeline p = new Pipeline()) {
            Properties props = p.properties();
            props.setProperty("caravan.ship.throttle.per-second", "25");
            props.setProperty("caravan.index.throttle.per-second", "500");
            Timer shipDelay = Metrics.throttleDelay("ship");
            Timer indexDelay = Metrics.throttleDelay("index");
            double shipWaitedBefore = shipDelay.totalTime(TimeUnit.MILLISECONDS);
            double indexWaitedBefore = indexDelay.totalTime(TimeUnit.MILLISECONDS);

            // Index side: 2,500 records already on the topic at 500/s take at least ~4 s.
            Lines gen = new Lines("throttle-host", "throttle-" + p.id).corpusLines(2_500);
            p.produce(p.topic, gen.records);
            // Ship side: 150 lines tailed at 25/s take at least ~5 s (the tailer alone ships far faster).
            Path log = p.dir.resolve("throttled.log");
            Files.write(log, Lines.parseableCorpus().subList(0, 150), StandardCharsets.UTF_8);
            long started = System.nanoTime();
            p.tailRoute("it-throttled", log, "combined", p.dir.resolve("checkpoints"));
            p.start(props);

            p.awaitAllCommitted(2_650, Duration.ofMinutes(2));
            double took = (System.nanoTime() - started) / 1e9;
            assertThat(took).isGreaterThan(3.5);
            assertThat(p.count()).isEqualTo(2_650);
            assertThat(p.topicRecords(p.dlqTopic())).isZero();
            assertThat(shipDelay.totalTime(TimeUnit.MILLISECONDS) - shipWaitedBefore).isGreaterThan(500);
            assertThat(indexDelay.totalTime(TimeUnit.MILLISECONDS) - indexWaitedBefore).isGreaterThan(500);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> p.topicLines() == 2_650);
            assertThat(Map.of("ship", shipDelay.count(), "index", indexDelay.count())).allSatisfy((k, v) ->
                    assertThat(v).isPositive());
        }
    }

    /**
     * A steady trickle never gives the consumer an empty poll, so a batch that completes only on its
     * size (1,000 records) or on an empty poll would hold these lines until the trickle stopped.
     * caravan.index.batch.max-wait-ms completes it on time.
     */
    @Test
    void aSteadyTrickleIsIndexedWhileItFlowsNotWhenTheBatchWouldBeFull() throws Exception {
        try (Pipeline p = new Pipeline()) {
            var lines = startWithFirstLine(p, "trickle", 301, "caravan.index.batch.max-wait-ms", "100");
            p.awaitAllCommitted(1, Duration.ofMinutes(1)); // the consumer has joined and polls

            try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<String, byte[]>(Map.of(
                    "bootstrap.servers", p.stack.kafkaBootstrap(), "acks", "all", "linger.ms", 0),
                    new org.apache.kafka.common.serialization.StringSerializer(),
                    new org.apache.kafka.common.serialization.ByteArraySerializer())) {
                long committedWhileFlowing = 0;
                for (var r : lines.subList(1, 301)) { // 40 lines a second for 7.5 s
                    producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(p.topic, r.key(), r.value())).get();
                    Thread.sleep(25);
                    if (committedWhileFlowing == 0 && r == lines.get(240)) {
                        committedWhileFlowing = p.committed() - 1;
                    }
                }
                // 240 lines sent over 6 s: the early ones are indexed by now, though no batch is full
                assertThat(committedWhileFlowing).isGreaterThanOrEqualTo(100);
            }
            p.awaitAllCommitted(301, Duration.ofMinutes(1));
            assertThat(p.count()).isEqualTo(301);
        }
    }
}
