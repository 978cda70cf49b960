package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InflightWindowTest {
    private final AtomicInteger wakes = new AtomicInteger();

    @Test
    void fullOnEitherCount() {
        InflightWindow byEvents = new InflightWindow(2, 1_000, wakes::incrementAndGet);
        byEvents.add(1);
        assertThat(byEvents.hasRoom()).isTrue();
        byEvents.add(1);
        assertThat(byEvents.hasRoom()).isFalse();

        InflightWindow byBytes = new InflightWindow(100, 10, wakes::incrementAndGet);
        byBytes.add(9);
        assertThat(byBytes.hasRoom()).isTrue();
        byBytes.add(1);
        assertThat(byBytes.hasRoom()).isFalse();
        assertThat(byBytes.events()).isEqualTo(2);
    }

    @Test
    void aWaitingReaderIsWokenOnceAtThreeQuarters() {
        InflightWindow w = new InflightWindow(8, 1_000, wakes::incrementAndGet);
        for (int i = 0; i < 8; i++) {
            w.add(10);
        }
        w.waiting(true);
        w.release(10); // 7 left: above 6, the low water
        assertThat(wakes).hasValue(0);
        assertThat(w.belowLowWater()).isFalse();
        w.release(10); // 6
        assertThat(wakes).hasValue(1);
        assertThat(w.belowLowWater()).isTrue();
        w.release(10);
        assertThat(wakes).as("woken once, not on every release").hasValue(1);
    }

    @Test
    void aReaderThatIsNotWaitingIsNotWoken() {
        InflightWindow w = new InflightWindow(4, 1_000, wakes::incrementAndGet);
        w.add(10);
        w.release(10);
        assertThat(wakes).hasValue(0);
        assertThat(w.events()).isZero();
    }

    @Test
    void theBytesMustFallTooBeforeAWake() {
        InflightWindow w = new InflightWindow(100, 400, wakes::incrementAndGet);
        w.add(200);
        w.add(200);
        w.add(0); // an empty line
        w.waiting(true);
        w.release(0); // 2 events of 100: few enough, but 400 bytes still held
        assertThat(wakes).hasValue(0);
        w.release(200); // 200 bytes, under 300
        assertThat(wakes).hasValue(1);
    }
}
