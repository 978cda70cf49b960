package caravan.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void ceilingDoublesUpToTheCap() {
        Backoff b = new Backoff(200, 30_000, () -> 0.5);
        assertThat(b.ceilingMs(0)).isEqualTo(200);
        assertThat(b.ceilingMs(1)).isEqualTo(400);
        assertThat(b.ceilingMs(5)).isEqualTo(6_400);
        assertThat(b.ceilingMs(8)).isEqualTo(30_000);
        assertThat(b.ceilingMs(1_000)).isEqualTo(30_000);
        assertThat(b.ceilingMs(Integer.MAX_VALUE)).isEqualTo(30_000);
        assertThat(b.ceilingMs(-3)).isEqualTo(200);
    }

    @Test
    void jitterStaysBetweenHalfAndAllOfTheCeiling() {
        assertThat(new Backoff(200, 30_000, () -> 0.0).delayMs(3)).isEqualTo(800);
        assertThat(new Backoff(200, 30_000, () -> 0.999999).delayMs(3)).isEqualTo(1_600);
        assertThat(new Backoff(200, 30_000, () -> 0.0).delayMs(50)).isEqualTo(15_000);
        Backoff real = new Backoff(100, 1_000);
        for (int attempt = 0; attempt < 40; attempt++) {
            long d = real.delayMs(attempt);
            assertThat(d).isBetween(real.ceilingMs(attempt) / 2, real.ceilingMs(attempt));
        }
    }

    @Test
    void hugeInitialDelaysDoNotOverflow() {
        Backoff b = new Backoff(Long.MAX_VALUE / 4, Long.MAX_VALUE / 2, () -> 0.0);
        assertThat(b.ceilingMs(10)).isPositive().isLessThanOrEqualTo(Long.MAX_VALUE / 2);
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new Backoff(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(100, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
