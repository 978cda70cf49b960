package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class IndexRetentionTest {

    @Test
    void readsTheDayOnlyFromCaravanDailyNames() {
        assertThat(IndexRetention.day("logs-apache.access-default-2026.11.24")).contains(LocalDate.of(2026, 11, 24));
        assertThat(IndexRetention.day("logs-app_json-prod.eu-2024.02.29")).contains(LocalDate.of(2024, 2, 29));
        assertThat(IndexRetention.day("logs-generic-default-2023.02.29")).isEmpty(); // no such day
        assertThat(IndexRetention.day("logs-apache.access-2026.11.24")).isEmpty(); // no namespace
        assertThat(IndexRetention.day(".ds-logs-apache.access-default-2026.11.24-000001")).isEmpty();
        assertThat(IndexRetention.day("logs-apache.access-default-2026.11.24-restored")).isEmpty();
        assertThat(IndexRetention.day("logs-apache.access-default-2026-11-24")).isEmpty();
        assertThat(IndexRetention.day("logs-a-b-c-2026.11.24")).isEmpty(); // not a name Caravan writes
        assertThat(IndexRetention.day("metrics-system-default-2026.11.24")).isEmpty();
        assertThat(IndexRetention.day("LOGS-a-b-2026.11.24")).isEmpty();
    }

    @Test
    void anIndexExpiresWhenItsWholeDayIsOlderThanTheCutoff() {
        Instant cutoff = Instant.parse("2026-10-25T12:00:00Z"); // now 2026-11-24T12:00Z minus 30d
        assertThat(IndexRetention.expired("logs-a-b-2026.10.23", cutoff)).isTrue();
        assertThat(IndexRetention.expired("logs-a-b-2026.10.24", cutoff)).isTrue(); // ended 25th 00:00
        assertThat(IndexRetention.expired("logs-a-b-2026.10.25", cutoff)).isFalse(); // still has younger events
        assertThat(IndexRetention.expired("logs-a-b-2026.11.24", cutoff)).isFalse();
        assertThat(IndexRetention.expired("logs-a-b-2026.10.24", Instant.parse("2026-10-25T00:00:00Z"))).isTrue();
        assertThat(IndexRetention.expired("other-2020.01.01", cutoff)).isFalse();
    }

    @Test
    void listsOnlyExpiredCaravanIndicesOldestFirst() {
        List<String> names = List.of("logs-web-prod-2026.10.01", "logs-api-prod-2026.09.30", "logs-web-prod-2026.11.20",
                ".kibana_1", "logs-something-else", "logs-web-prod-2026.09.30");
        assertThat(IndexRetention.expired(names, Instant.parse("2026-10-25T00:00:00Z")))
                .containsExactly("logs-api-prod-2026.09.30", "logs-web-prod-2026.09.30", "logs-web-prod-2026.10.01");
    }
}
