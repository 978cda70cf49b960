package caravan.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeArgsTest {
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    @Test
    void agesInShortAndIsoForm() {
        assertThat(TimeArgs.age("30d")).isEqualTo(Duration.ofDays(30));
        assertThat(TimeArgs.age("12h")).isEqualTo(Duration.ofHours(12));
        assertThat(TimeArgs.age("90m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(TimeArgs.age("45s")).isEqualTo(Duration.ofSeconds(45));
        assertThat(TimeArgs.age("2w")).isEqualTo(Duration.ofDays(14));
        assertThat(TimeArgs.age(" 7D ")).isEqualTo(Duration.ofDays(7));
        assertThat(TimeArgs.age("P30D")).isEqualTo(Duration.ofDays(30));
        assertThat(TimeArgs.age("pt2h")).isEqualTo(Duration.ofHours(2));
    }

    @Test
    void badAgesSayWhatWorks() {
        for (String bad : new String[] {"", "30", "d", "-3d", "30 days", "3y", "P-1D", null}) {
            assertThatThrownBy(() -> TimeArgs.age(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("30d");
        }
    }

    @Test
    void instantsRelativeAndAbsolute() {
        assertThat(TimeArgs.instant("2h", NOW)).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(TimeArgs.instant("1d", NOW)).isEqualTo(Instant.parse("2026-11-23T12:00:00Z"));
        assertThat(TimeArgs.instant("2026-11-20T04:05:06Z", NOW)).isEqualTo(Instant.parse("2026-11-20T04:05:06Z"));
        assertThat(TimeArgs.instant("2026-11-20T04:05:06.5Z", NOW)).isEqualTo(Instant.parse("2026-11-20T04:05:06.500Z"));
        assertThat(TimeArgs.instant("2026-11-20T05:05:06+01:00", NOW)).isEqualTo(Instant.parse("2026-11-20T04:05:06Z"));
        assertThat(TimeArgs.instant("2026-11-20T04:05", NOW)).isEqualTo(Instant.parse("2026-11-20T04:05:00Z"));
        assertThat(TimeArgs.instant("2026-11-20", NOW)).isEqualTo(Instant.parse("2026-11-20T00:00:00Z"));
    }

    @Test
    void badInstantsSayWhatWorks() {
        assertThatThrownBy(() -> TimeArgs.instant("yesterday", NOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2026-11-24T04:00:00Z");
        assertThatThrownBy(() -> TimeArgs.instant("2026-13-01", NOW)).isInstanceOf(IllegalArgumentException.class);
    }
}
