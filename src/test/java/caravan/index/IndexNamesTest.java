package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class IndexNamesTest {

    @Test
    void dailyIndexFollowsTheEventsUtcDay() {
        long t = Instant.parse("2015-05-17T23:59:59.999Z").toEpochMilli();
        assertThat(IndexNames.daily("apache.access", "default", t)).isEqualTo("logs-apache.access-default-2015.05.17");
        assertThat(IndexNames.daily("apache.access", "default", t + 1)).isEqualTo("logs-apache.access-default-2015.05.18");
    }

    @Test
    void sanitisesWhatElasticsearchWouldRefuse() {
        long t = 0;
        assertThat(IndexNames.daily("My Data-Set", "Prod-EU", t)).isEqualTo("logs-my_data_set-prod_eu-1970.01.01");
        assertThat(IndexNames.daily(null, "", t)).isEqualTo("logs-generic-generic-1970.01.01");
    }
}
