package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Lines in batches (maxBatchLines, or chosen by the route it feeds): in order, per file, and resent only where unacknowledged. */
class TailBatchingTest extends TailContextTest {
    /** The lines of every batch that reached the mock, batch by batch, with the batch's file. */
    private static List<List<String>> batches(MockEndpoint mock, List<String> files) {
        List<List<String>> out = new ArrayList<>();
        for (Exchange e : mock.getExchanges()) {
            List<String> lines = new ArrayList<>();
            for (Object o : e.getMessage().getBody(List.class)) {
                lines.add(((Message) o).getBody(String.class));
            }
            out.add(lines);
            files.add(e.getMessage().getHeader(TailConstants.FILE_PATH, String.class));
        }
        return out;
    }

    @Test
    void batchesCarryConsecutiveLinesOfOneFileInOrder() throws Exception {
        Map<String, List<String>> written = new LinkedHashMap<>();
        for (String name : List.of("a.log", "b.log", "c.log")) {
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                lines.add(name + " line " + i + (i % 7 == 0 ? " " + "x".repeat(40) : ""));
            }
            Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
            written.put(dir.resolve(name).toString(), lines);
        }
        ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("*.log") + "&maxBatchLines=100&maxLineBytes=30&readChunkBytes=4096").routeId("batched")
                        .to("mock:batches");
            }
        });
        ctx.start();
        MockEndpoint mock = ctx.getEndpoint("mock:batches", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.getExchanges().stream()
                .mapToInt(e -> e.getMessage().getBody(List.class).size()).sum() == 750);
        List<String> files = new ArrayList<>();
        List<List<String>> got = batches(mock, files);
        Map<String, List<String>> shipped = new LinkedHashMap<>();
        for (int b = 0; b < got.size(); b++) {
            assertThat(got.get(b)).hasSizeBetween(1, 100);
            shipped.computeIfAbsent(files.get(b), k -> new ArrayList<>()).addAll(got.get(b));
        }
        // each batch is one file's; a file's batches, one after the other, are its lines in order
        for (Map.Entry<String, List<String>> w : written.entrySet()) {
            List<String> expected = w.getValue().stream().map(l -> l.length() > 30 ? l.substring(0, 30) : l).toList();
            assertThat(shipped.get(w.getKey())).as(w.getKey()).containsExactlyElementsOf(expected);
        }
        // each line keeps its own offset and truncation flag; the file's headers are on the exchange
        Message batch = mock.getExchanges().get(0).getMessage();
        assertThat(batch.getHeader(TailConstants.SOURCE)).isEqualTo("batched");
        assertThat(batch.getHeader(TailConstants.FILE_ID, String.class)).matches("[0-9a-f]+-[0-9a-f]+-[0-9a-f]{16}");
        List<?> lines = batch.getBody(List.class);
        Message first = (Message) lines.get(0);
        Message second = (Message) lines.get(1);
        assertThat(first.getHeader(TailConstants.OFFSET)).isEqualTo(0L);
        assertThat(first.getHeader(TailConstants.TRUNCATED)).isEqualTo(true); // line 0 has the 40 x
        assertThat(second.getHeader(TailConstants.OFFSET)).isEqualTo((long) "a.log line 0 ".length() + 40 + 1);
        assertThat(second.getHeader(TailConstants.TRUNCATED)).isNull();
    }

    /**
     * Without maxBatchLines the route decides: one that only sends to a batch target gets List
     * bodies of up to batchLines; one with a step written for a line gets single lines; a route's
     * own maxBatchLines wins.
     */
    @Test
    void theRouteDecidesBatchingWhenMaxBatchLinesIsUnset() throws Exception {
        sameLinesIn(50, "plain", "filtered", "own");
        ctx = new DefaultCamelContext();
        ctx.getComponent("tail", TailComponent.class).addBatchTarget("direct://sink");
        ctx.getComponent("tail", TailComponent.class).setBatchLines(20);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:sink").to("mock:sink");
                from(uri("plain/*.log") + "&checkpointName=plain").routeId("plain").to("direct:sink");
                from(uri("filtered/*.log") + "&checkpointName=filtered").routeId("filtered")
                        .filter(body().isNotNull()).to("mock:filtered");
                from(uri("own/*.log") + "&checkpointName=own&maxBatchLines=1").routeId("own").to("direct:sink");
            }
        });
        ctx.start();
        MockEndpoint sink = ctx.getEndpoint("mock:sink", MockEndpoint.class);
        MockEndpoint filtered = ctx.getEndpoint("mock:filtered", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> filtered.getReceivedCounter() == 50
                && sink.getExchanges().stream().mapToInt(e -> e.getMessage().getBody() instanceof List<?> l ? l.size() : 1).sum() == 100);
        assertThat(filtered.getExchanges()).allSatisfy(e -> assertThat(e.getMessage().getBody()).isInstanceOf(String.class));
        var plain = sink.getExchanges().stream().filter(e -> "plain".equals(e.getMessage().getHeader(TailConstants.SOURCE))).toList();
        var own = sink.getExchanges().stream().filter(e -> "own".equals(e.getMessage().getHeader(TailConstants.SOURCE))).toList();
        assertThat(plain).allSatisfy(e -> assertThat((List<?>) e.getMessage().getBody(List.class)).hasSizeBetween(1, 20));
        assertThat(plain.size()).isLessThan(50);
        assertThat(own).hasSize(50).allSatisfy(e -> assertThat(e.getMessage().getBody()).isInstanceOf(String.class));
    }

    /**
     * Two batch targets with throttles of their own, as two throttled ship routes would be: each
     * source route gets batches of at most a tenth of its target's second, whatever the other's;
     * an unthrottled target gets batchLines.
     */
    @Test
    void eachRouteGetsBatchesOfATenthOfItsOwnTargetsThrottle() throws Exception {
        sameLinesIn(120, "slow", "fast", "free");
        ctx = new DefaultCamelContext();
        TailComponent tail = ctx.getComponent("tail", TailComponent.class);
        tail.addBatchTarget("direct:slow", 200);
        tail.addBatchTarget("direct:fast", 5000);
        tail.addBatchTarget("direct:free");
        tail.setBatchLines(100);
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:slow").throttle(200).timePeriodMillis(1000).to("mock:sink");
                from("direct:fast").throttle(5000).timePeriodMillis(1000).to("mock:sink");
                from("direct:free").to("mock:sink");
                for (String name : List.of("slow", "fast", "free")) {
                    from(uri(name + "/*.log") + "&checkpointName=" + name).routeId(name).to("direct:" + name);
                }
            }
        });
        ctx.start();
        MockEndpoint sink = ctx.getEndpoint("mock:sink", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.getExchanges().stream()
                .mapToInt(e -> e.getMessage().getBody(List.class).size()).sum() == 360);
        Map<String, Integer> largest = new java.util.TreeMap<>();
        for (var e : sink.getExchanges()) {
            largest.merge(e.getMessage().getHeader(TailConstants.SOURCE, String.class),
                    e.getMessage().getBody(List.class).size(), Math::max);
        }
        // 200/s: batches of 20; 5,000/s: a tenth is 500, above batchLines (100); no throttle: batchLines
        assertThat(largest).containsExactlyEntriesOf(new java.util.TreeMap<>(Map.of("fast", 100, "free", 100, "slow", 20)));
        assertThatThrownBy(() -> tail.addBatchTarget("direct:x", -1)).hasMessageContaining("must not be negative");
    }

    /** Writes {@code n} lines to a.log in a directory of each name. */
    private void sameLinesIn(int n, String... names) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add("line " + i);
        }
        for (String name : names) {
            Files.createDirectories(dir.resolve(name));
            Files.write(dir.resolve(name).resolve("a.log"), lines, StandardCharsets.UTF_8);
        }
    }

    @Test
    void aFailedBatchSendsAgainOnlyTheLinesKafkaDidNotAcknowledge() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lines.add("line " + i);
        }
        Files.write(log, lines, StandardCharsets.UTF_8);
        List<List<String>> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("app.log") + "&maxBatchLines=10&retryDelay=50").routeId("partial")
                        // as a route whose lines are each their own Kafka record says it: camel-kafka's metadata on each
                        .setProperty(TailConstants.LINE_ACKNOWLEDGEMENT, constant((LineAcknowledgement) caravan.common.KafkaAcks::acknowledged))
                        .process(e -> {
                            List<?> batch = e.getMessage().getBody(List.class);
                            attempts.add(batch.stream().map(o -> ((Message) o).getBody(String.class)).toList());
                            if (attempts.size() == 1) {
                                // as camel-kafka leaves it when the broker stored lines 0-2 and 5-9, refused
                                // line 3 and never answered for line 4
                                for (int i = 0; i < batch.size(); i++) {
                                    if (i != 4) {
                                        ((Message) batch.get(i)).setHeader(KafkaConstants.KAFKA_RECORD_META,
                                                List.of(new RecordMetadata(new TopicPartition("t", 0), i == 3 ? -1 : i,
                                                        0, 0L, 0, 0)));
                                    }
                                }
                                throw new IllegalStateException("Kafka refused a record");
                            }
                        })
                        .to("mock:partial");
            }
        });
        ctx.start();
        MockEndpoint mock = ctx.getEndpoint("mock:partial", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> mock.getReceivedCounter() == 1);
        Thread.sleep(300);
        assertThat(attempts).containsExactly(lines, List.of("line 3", "line 4"));
        // every line's outcome, the batch's answered at once, gave its room in the window back
        TailConsumer consumer = (TailConsumer) ctx.getRoute("partial").getConsumer();
        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.inflight() == 0);
        ctx.stop();
        // the checkpoint covers the whole file: a restart sends only what is new
        Files.writeString(log, "line 10\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        ctx = new DefaultCamelContext();
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("app.log") + "&maxBatchLines=10").to("mock:again");
            }
        });
        ctx.start();
        MockEndpoint again = ctx.getEndpoint("mock:again", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(10)).until(() -> again.getReceivedCounter() == 1);
        Thread.sleep(300);
        assertThat(batches(again, new ArrayList<>())).containsExactly(List.of("line 10"));
    }
}
