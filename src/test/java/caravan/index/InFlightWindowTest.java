package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class InFlightWindowTest {
    private final DefaultCamelContext ctx = new DefaultCamelContext();
    private final ElasticsearchBreaker breaker = new ElasticsearchBreaker(50, 10, 3, 1000);
    /** Empty batches: nothing to send ahead, so the writer never needs Elasticsearch here. */
    private final BulkWriter writer = new BulkWriter(null, null, 10, 10, 1);

    @Test
    void batchesWaitUntilTheWindowIsFullThenTheOldestGoesOn() throws Exception {
        InFlightWindow window = new InFlightWindow(2);
        var step = window.submitStep(writer, breaker);
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
        window.done(a);
        Exchange third = exchange(c);
        step.process(third);
        assertThat(third.getMessage().getBody()).isSameAs(b);
        assertThat(window.size()).isEqualTo(2);
    }

    @Test
    void aWindowOfOneIsOneBatchAtATime() throws Exception {
        InFlightWindow window = new InFlightWindow(1);
        IndexBatch a = new IndexBatch();
        Exchange e = exchange(a);
        window.submitStep(writer, breaker).process(e);
        assertThat(e.isRouteStop()).isFalse();
        assertThat(e.getMessage().getBody()).isSameAs(a);
    }

    @Test
    void flushFinishesOldestFirstAndStopsAtOneThatStays() throws Exception {
        InFlightWindow window = new InFlightWindow(3);
        IndexBatch a = new IndexBatch();
        IndexBatch b = new IndexBatch();
        IndexBatch c = new IndexBatch();
        for (IndexBatch x : List.of(a, b, c)) {
            window.submitStep(writer, breaker).process(exchange(x));
        }
        List<IndexBatch> finished = new ArrayList<>();
        InFlightWindow.flush(window, x -> {
            finished.add(x);
            if (x != b) {
                window.done(x);
            }
        });
        assertThat(finished).containsExactly(a, b); // b did not finish (a stop): c waits behind it
        assertThat(window.oldest()).isSameAs(b);
        window.clear();
        assertThat(window.oldest()).isNull();
    }

    @Test
    void idleOnlyWithABatchWaiting() throws Exception {
        InFlightWindow window = new InFlightWindow(2);
        assertThat(window.idle(0)).isFalse();
        window.submitStep(writer, breaker).process(exchange(new IndexBatch()));
        Thread.sleep(5);
        assertThat(window.idle(1)).isTrue();
        assertThat(window.idle(60_000)).isFalse();
    }

    private Exchange exchange(IndexBatch batch) {
        Exchange e = new DefaultExchange(ctx);
        e.getMessage().setBody(batch);
        return e;
    }
}
