package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.Metrics;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 6, case 2: Elasticsearch answers a share of bulk items with 429 (through a rewriting proxy).
 * Each such item is retried on its own, with backoff, never dropped and never dead-lettered, and
 * every document arrives exactly once (a rejected item that was in fact indexed comes back as 409).
 */
class Bulk429IT {
    private static final Logger LOG = LoggerFactory.getLogger(Bulk429IT.class);

    @Test
    void itemsRejectedWith429AreRetriedUntilEveryDocumentIsThereOnce() throws Exception {
        // About 4,600 items answered 429 at this size; 100,000 lines (-Dcaravan.it.bulk429.lines) show the same in 100 s.
        int lines = ItSizes.get("bulk429.lines", 20_000, 20_000);
        try (Pipeline p = new Pipeline();
             RejectingProxy proxy = new RejectingProxy(p.stack.elasticsearchUrl(), 0.10, 0.10, 6)) {
            p.createTopic(3);
            Lines gen = new Lines("bulk429-host", "bulk429-" + p.id, 4).corpusLines(lines);
            p.produce(p.topic, gen.records);
            Properties props = p.properties();
            props.setProperty("caravan.ship.enabled", "false");
            props.setProperty("caravan.elasticsearch.urls", proxy.url());
            props.setProperty("caravan.index.retry.initial-ms", "50");
            props.setProperty("caravan.index.retry.max-ms", "1000");
            double retriedBefore = Metrics.elasticsearchErrors("retryable").count();
            p.start(props);

            p.awaitAllCommitted(lines, Duration.ofMinutes(5));
            assertThat(p.count()).isEqualTo(lines);
            assertThat(p.ids()).isEqualTo(gen.ids);
            assertThat(p.topicRecords(p.dlqTopic())).isZero();
            double retried = Metrics.elasticsearchErrors("retryable").count() - retriedBefore;
            assertThat(proxy.lost.get()).isPositive();
            assertThat(proxy.late.get()).isPositive();
            assertThat(retried).isEqualTo(proxy.lost.get() + proxy.late.get());
            LOG.info("429s: {} lines in {} bulk requests; {} items answered 429 ({} never reached ES, {} indexed but "
                            + "reported 429), all retried; count {} = lines, ids identical, duplicates 0, lost 0, DLQ 0",
                    lines, proxy.bulkRequests.get(), proxy.lost.get() + proxy.late.get(), proxy.lost.get(),
                    proxy.late.get(), p.count());
        }
    }
}
