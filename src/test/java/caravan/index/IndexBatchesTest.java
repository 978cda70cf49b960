package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class IndexBatchesTest {
    private static final TopicPartition RAW0 = new TopicPartition("raw", 0);
    private static final TopicPartition RAW1 = new TopicPartition("raw", 1);
    private static final TopicPartition OTHER0 = new TopicPartition("other", 0);

    private final DefaultCamelContext ctx = new DefaultCamelContext();
    private final ElasticsearchBreaker breaker = new ElasticsearchBreaker(50, 10, 3, 1000);
    /** Empty batches: nothing to send ahead, so the writer never needs Elasticsearch here. */
    private final BulkWriter writer = new BulkWriter(null, null, 10, 10, 1);
    private final ConsumerControl control = new ConsumerControl();
    private final MockConsumer<String, byte[]> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST);

    @Test
    void batchesWaitUntilTheWindowIsFullThenTheOldestGoesOn() throws Exception {
        IndexBatches batches = new IndexBatches(2, control);
        var step = batches.submitStep(writer, breaker);
        IndexBatch a = new IndexBatch();
        IndexBatch b = new IndexBatch();
        IndexBatch c = new IndexBatch();

        Exchange first = exchange(a);
        step.process(first);
        assertThat(first.isRouteStop()).isTrue(); // room left: a stays in flight
        Exchange second = exchange(b);
        step.process(second);
        assertThat(second.isRouteStop()).isFalse();
        assertThat(second.getMessage().getBody()).isSameAs(a); // full: the oldest is finished now
        batches.finished(a);
        Exchange third = exchange(c);
        step.process(third);
        assertThat(third.getMessage().getBody()).isSameAs(b);
        assertThat(batches.size()).isEqualTo(2);
    }

    @Test
    void theConsumerIsTimedWhileAFullWindowHoldsItNotWhileThereIsRoom() throws Exception {
        var held = io.micrometer.core.instrument.Timer.builder("held")
                .register(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        IndexBatches batches = new IndexBatches(2, control, 0, held);
        var step = batches.submitStep(writer, breaker);
        IndexBatch a = new IndexBatch();
        step.process(exchange(a));
        step.process(exchange(new IndexBatch()));
        Thread.sleep(30);
        batches.finished(a);

        assertThat(held.count()).isEqualTo(1);
        assertThat(held.totalTime(java.util.concurrent.TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(30);
        batches.flush(batches::finished); // the idle flush: the consumer was not held
        assertThat(held.count()).isEqualTo(1);
    }

    @Test
    void aWindowOfOneIsOneBatchAtATime() throws Exception {
        IndexBatches batches = new IndexBatches(1, control);
        IndexBatch a = new IndexBatch();
        Exchange e = exchange(a);
        batches.submitStep(writer, breaker).process(e);
        assertThat(e.isRouteStop()).isFalse();
        assertThat(e.getMessage().getBody()).isSameAs(a);
    }

    @Test
    void flushFinishesOldestFirstAndStopsAtOneThatStays() throws Exception {
        IndexBatches batches = new IndexBatches(3, control);
        IndexBatch a = new IndexBatch();
        IndexBatch b = new IndexBatch();
        IndexBatch c = new IndexBatch();
        for (IndexBatch x : List.of(a, b, c)) {
            batches.submitStep(writer, breaker).process(exchange(x));
        }
        List<IndexBatch> finished = new ArrayList<>();
        batches.flush(x -> {
            finished.add(x);
            if (x != b) {
                batches.finished(x);
            }
        });
        assertThat(finished).containsExactly(a, b); // b did not finish (a stop): c waits behind it
        assertThat(batches.oldest()).isSameAs(b);
        batches.clear();
        assertThat(batches.oldest()).isNull();
    }

    @Test
    void idleOnlyWithABatchWaiting() throws Exception {
        IndexBatches batches = new IndexBatches(2, control);
        assertThat(batches.idle(0)).isFalse();
        batches.submitStep(writer, breaker).process(exchange(new IndexBatch()));
        Thread.sleep(5);
        assertThat(batches.idle(1)).isTrue();
        assertThat(batches.idle(60_000)).isFalse();
    }

    @Test
    void commitsTheOffsetAfterTheHighestRecordOfEachPartition() {
        IndexBatches batches = attached(3);
        IndexBatch batch = batch(rec("raw", 0, 10), rec("raw", 1, 5), rec("raw", 0, 11), rec("raw", 0, 12),
                rec("raw", 1, 6), rec("other", 0, 99), rec(null, 0, 1), rec("raw", -1, 3));
        batches.track(batch);
        batch.origins().forEach(batch::settled);
        batches.finished(batch);
        assertThat(kafka.committed(Set.of(RAW0, RAW1, OTHER0))).containsOnly(
                Map.entry(RAW0, new OffsetAndMetadata(13)),
                Map.entry(RAW1, new OffsetAndMetadata(7)),
                Map.entry(OTHER0, new OffsetAndMetadata(100)));
    }

    @Test
    void withAnIntervalOffsetsWaitForItThenGoOutBetweenPolls() throws Exception {
        IndexBatches batches = onRaw0(200, 60_000, false);
        settleAndFinish(batches, 1);
        control.afterConsume(null);
        assertThat(kafka.committed(Set.of(RAW0))).as("within the interval of the consumer's start").isEmpty();

        Thread.sleep(250);
        control.afterConsume(null);
        assertThat(kafka.committed(Set.of(RAW0))).as("between polls once it has passed")
                .containsEntry(RAW0, new OffsetAndMetadata(2));
        settleAndFinish(batches, 2);
        assertThat(kafka.committed(Set.of(RAW0))).as("just committed").containsEntry(RAW0, new OffsetAndMetadata(2));
        Thread.sleep(250);
        settleAndFinish(batches, 3);
        assertThat(kafka.committed(Set.of(RAW0))).as("as a batch finishes after the interval")
                .containsEntry(RAW0, new OffsetAndMetadata(4));
    }

    @Test
    void anIdlePollWaitsThePollTimeWhileNothingBetweenPollsThatIsWaitedForFallsDue() throws Exception {
        IndexBatches batches = onRaw0(0, 100, false);
        assertThat(batches.idleWaitMs(500)).as("no batch in flight, no commit owed").isEqualTo(500);
        IndexBatch sent = unsent(1);
        sent.inFlight(List.of()); // its bulk went out (an empty list here: no Elasticsearch in this test)
        batches.submitStep(writer, openBreaker()).process(exchange(sent));
        IndexBatch noDocs = batch(rec("raw", 0, 2)); // nothing to send
        batches.track(noDocs);
        batches.submitStep(writer, breaker).process(exchange(noDocs));
        assertThat(batches.size()).isEqualTo(2);
        assertThat(batches.idleWaitMs(500)).isEqualTo(500);
    }

    @Test
    void aBatchWhoseBulkHasNotGoneOutShortensTheIdlePollToItsIdleFlush() throws Exception {
        IndexBatches batches = onRaw0(0, 100, true);
        IndexBatch a = unsent(1);
        batches.track(a);
        batches.submitStep(writer, openBreaker()).process(exchange(a)); // the circuit is open: not sent ahead

        long wait = batches.idleWaitMs(500);
        assertThat(wait).as("the idle flush's 100 ms, not the poll's 500").isBetween(1L, 101L);
        Thread.sleep(wait); // the idle poll
        control.afterConsume(null);
        assertThat(batches.size()).as("finished between polls as the poll ends").isZero();
        assertThat(kafka.committed(Set.of(RAW0))).containsEntry(RAW0, new OffsetAndMetadata(2));
        assertThat(batches.idleWaitMs(500)).as("nothing left to wait for").isEqualTo(500);
    }

    @Test
    void workThatCannotRunBetweenPollsDoesNotShortenThem() throws Exception {
        IndexBatches batches = onRaw0(0, 50, false); // a finish that leaves the batch, as while the route stops
        batches.submitStep(writer, openBreaker()).process(exchange(unsent(1)));
        Thread.sleep(60);
        assertThat(batches.idleWaitMs(500)).as("overdue, not yet tried").isEqualTo(1);

        control.pause(); // a wait paused consumption: the work between polls waits for the resume
        assertThat(batches.idleWaitMs(500)).as("paused").isEqualTo(500);
        control.resume();
        control.afterConsume(null); // tried after it fell due, and the batch stayed
        assertThat(batches.size()).isEqualTo(1);
        assertThat(batches.idleWaitMs(500)).as("tried and left: no spinning").isEqualTo(500);
    }

    /**
     * Batches on raw-0 with a commit interval and an idle flush; between polls the flush either
     * settles and finishes each batch ({@code finishing}) or leaves it, as while the route stops.
     */
    private IndexBatches onRaw0(long commitIntervalMs, long idleFlushMs, boolean finishing) {
        IndexBatches batches = new IndexBatches(3, control, commitIntervalMs);
        batches.attach(idleFlushMs, b -> {
            if (finishing) {
                b.origins().forEach(b::settled);
                batches.finished(b);
            }
        });
        kafka.assign(List.of(RAW0));
        control.setConsumer(kafka);
        return batches;
    }

    /** A tracked batch of the record at {@code offset} of raw-0, with a document to index. */
    private IndexBatch unsent(long offset) {
        IndexBatch b = batch(rec("raw", 0, offset));
        b.docs().add(new PendingDoc("id-" + offset, "logs", new byte[0], "apache.access", "a.log", b.origins().get(0)));
        return b;
    }

    private static ElasticsearchBreaker openBreaker() {
        ElasticsearchBreaker open = new ElasticsearchBreaker(50, 10, 3, 60_000);
        open.breaker().transitionToOpenState();
        return open;
    }

    @Test
    void aCommitTheIntervalHeldBackShortensTheIdlePollUntilItIsDue() throws Exception {
        IndexBatches batches = onRaw0(200, 60_000, false);
        settleAndFinish(batches, 1);
        assertThat(kafka.committed(Set.of(RAW0))).as("held back by the interval").isEmpty();

        long wait = batches.idleWaitMs(500);
        assertThat(wait).as("the interval's 200 ms at most, not the poll's 500").isBetween(1L, 201L);
        Thread.sleep(wait);
        control.afterConsume(null);
        assertThat(kafka.committed(Set.of(RAW0))).as("committed as the poll ends").containsEntry(RAW0,
                new OffsetAndMetadata(2));
        assertThat(batches.idleWaitMs(500)).as("nothing owed").isEqualTo(500);
    }

    /** A batch of the record at {@code offset} of raw-0, tracked, indexed and finished. */
    private void settleAndFinish(IndexBatches batches, long offset) {
        IndexBatch batch = batch(rec("raw", 0, offset));
        batches.track(batch);
        batch.origins().forEach(batch::settled);
        batches.finished(batch);
    }

    @Test
    void aBatchWithARecordNeitherIndexedNorDeadLetteredIsNotCommitted() {
        IndexBatches batches = attached(3);
        IndexBatch batch = batch(rec("raw", 0, 1), rec("raw", 0, 2));
        batches.track(batch);
        batch.settled(batch.origins().get(1));
        assertThatThrownBy(() -> batches.finished(batch)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("1 record(s)");
        assertThat(kafka.committed(Set.of(RAW0))).isEmpty();
        // The route's dead letter channel then sends the batch to the DLQ: now all of it counts as settled.
        batches.deadLettered(batch, batch.origins());
        assertThat(kafka.committed(Set.of(RAW0))).containsEntry(RAW0, new OffsetAndMetadata(3));
    }

    @Test
    void aNewerBatchDoneFirstIsCommittedOnlyWithTheOlderOne() throws Exception {
        IndexBatches batches = attached(3);
        IndexBatch older = batch(rec("raw", 0, 1), rec("raw", 0, 2));
        IndexBatch newer = batch(rec("raw", 0, 3));
        batches.track(older);
        batches.track(newer);
        newer.settled(newer.origins().get(0));
        batches.finished(newer); // a failed batch's dead letters, say, before the older one is done
        assertThat(kafka.committed(Set.of(RAW0))).isEmpty();
        older.origins().forEach(older::settled);
        batches.finished(older);
        assertThat(kafka.committed(Set.of(RAW0))).containsEntry(RAW0, new OffsetAndMetadata(4));
    }

    @Test
    void aRecordOfSeveralLinesIsCommittedOnlyOnceEveryLineIsSettled() {
        IndexBatches batches = attached(3);
        RecordOrigin group = rec("raw", 0, 5);
        IndexBatch batch = batch(rec("raw", 0, 4), group.line(0, new byte[0]), group.line(1, new byte[0]),
                group.line(2, new byte[0]), rec("raw", 0, 6));
        batches.track(batch);
        List<RecordOrigin> o = batch.origins();
        for (int i : new int[] {0, 1, 3, 4}) {
            batch.settled(o.get(i));
        }
        assertThat(batches.offsets().committableOffset(RAW0)).isEqualTo(5); // line 1 of record 5 is not settled
        assertThatThrownBy(() -> batches.finished(batch)).hasMessageContaining("1 record(s)");
        batch.settled(o.get(2));
        batches.finished(batch);
        assertThat(kafka.committed(Set.of(RAW0))).containsEntry(RAW0, new OffsetAndMetadata(7));
    }

    @Test
    void aFailedBatchOfSeveralLinesToARecordIsCommittedAfterAllItsDeadLetters() {
        IndexBatches batches = attached(3);
        RecordOrigin group = origin("raw", 1, 40);
        batches.deadLettered(null, List.of(group.line(0, new byte[0]), group.line(1, new byte[0]), origin("raw", 1, 41)));
        assertThat(kafka.committed(Set.of(RAW1))).containsEntry(RAW1, new OffsetAndMetadata(42));
        assertThat(batches.offsets().pending()).isZero();
    }

    @Test
    void aFailedBatchThatWasNeverTrackedIsCommittedAfterItsDeadLetters() {
        IndexBatches batches = attached(3);
        List<RecordOrigin> polled = List.of(origin("raw", 1, 40), origin("raw", 1, 41));
        batches.deadLettered(null, polled);
        assertThat(kafka.committed(Set.of(RAW1))).containsEntry(RAW1, new OffsetAndMetadata(42));
    }

    @Test
    void aNewKafkaConsumerForgetsTheBatchesInFlight() throws Exception {
        IndexBatches batches = attached(3);
        IndexBatch batch = batch(rec("raw", 0, 1));
        batches.track(batch);
        batches.submitStep(writer, breaker).process(exchange(batch));
        control.setConsumer(new MockConsumer<String, byte[]>(OffsetResetStrategy.EARLIEST));
        assertThat(batches.size()).isZero();
        assertThat(batches.offsets().pending()).isZero();
    }

    private IndexBatches attached(int size) {
        IndexBatches batches = new IndexBatches(size, control);
        batches.attach(60_000, b -> { });
        kafka.assign(List.of(RAW0, RAW1, OTHER0));
        control.setConsumer(kafka);
        return batches;
    }

    private static IndexBatch batch(RecordOrigin... origins) {
        IndexBatch b = new IndexBatch();
        b.origins(List.of(origins));
        return b;
    }

    /** As the batching Kafka consumer hands a record over: an exchange with the Kafka headers. */
    private RecordOrigin rec(String topic, int partition, long offset) {
        Exchange e = new DefaultExchange(ctx);
        if (topic != null) {
            e.getMessage().setHeader(KafkaConstants.TOPIC, topic);
        }
        e.getMessage().setHeader(KafkaConstants.PARTITION, partition);
        e.getMessage().setHeader(KafkaConstants.OFFSET, offset);
        e.getMessage().setBody(new byte[0]);
        return RecordOrigin.of(e);
    }

    private static RecordOrigin origin(String topic, int partition, long offset) {
        return new RecordOrigin(topic, partition, offset, null, new byte[0], 0, null);
    }

    private Exchange exchange(IndexBatch batch) {
        Exchange e = new DefaultExchange(ctx);
        e.getMessage().setBody(batch);
        return e;
    }
}
