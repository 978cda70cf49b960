package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {

    @Test
    void isoMatchesJavaTimeForRandomInstants() {
        SplittableRandom r = new SplittableRandom(42);
        DateTimeFormatter f = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);
        for (int i = 0; i < 10_000; i++) {
            long ms = r.nextLong(-2_000_000_000_000L, 4_000_000_000_000L);
            assertThat(Timestamps.iso(ms)).isEqualTo(f.format(Instant.ofEpochMilli(ms)));
        }
    }

    @Test
    void dayIsTheUtcCalendarDay() {
        Instant i = Instant.parse("2026-11-24T00:00:00Z");
        assertThat(Timestamps.day(i.toEpochMilli())).isEqualTo("2026.11.24");
        assertThat(Timestamps.day(i.minus(1, ChronoUnit.MILLIS).toEpochMilli())).isEqualTo("2026.11.23");
        assertThat(Timestamps.day(i)).isEqualTo("2026.11.24");
    }
}
