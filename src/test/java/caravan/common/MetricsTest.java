package caravan.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void metersCountAndAppearInThePrometheusScrapeUnderTheDesignNames() {
        Metrics.failed("parse", "test.metrics").increment();
        Metrics.failed("parse", "test.metrics").increment();
        Metrics.processed("parse", "test.metrics").increment();
        Metrics.processingSeconds("parse", "test.metrics").record(3, TimeUnit.MILLISECONDS);

        assertThat(Metrics.failed("parse", "test.metrics").count()).isEqualTo(2.0);
        String scrape = Metrics.prometheus().scrape();
        assertThat(scrape).contains("caravan_logs_failed_total{dataset=\"test.metrics\",stage=\"parse\"} 2.0");
        assertThat(scrape).contains("caravan_logs_processed_total{dataset=\"test.metrics\",stage=\"parse\"} 1.0");
        assertThat(scrape).contains("caravan_log_processing_seconds_count{dataset=\"test.metrics\",stage=\"parse\"} 1");
        assertThat(scrape).contains("caravan_log_processing_seconds_bucket{");
    }
}
