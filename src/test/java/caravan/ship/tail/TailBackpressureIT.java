package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.Metrics;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka goes away while a file keeps growing: the tailer stops reading once its window of
 * unacknowledged events is full (memory stays bounded, the rest waits on disk), and when the broker
 * is back every line arrives exactly once.
 */
class TailBackpressureIT {
    private static final Logger LOG = LoggerFactory.getLogger(TailBackpressureIT.class);
    private static final int WINDOW = 1_000;

    @TempDir
    Path dir;

    @Test
    void kafkaDownPausesReadingAndLosesNothing() throws Exception {
        Path log = dir.resolve("app.log");
        List<String> written = new ArrayList<>();
        try (ShipRig rig = new ShipRig()) {
            rig.start("tail:" + log + "?checkpointDir=" + dir.resolve("checkpoints")
                    + "&pollDelay=20&maxInflight=" + WINDOW);
            append(log, written, "before", 5_000);
            assertThat(rig.await(5_000, Duration.ofSeconds(60))).hasSize(5_000);
            Counter read = Metrics.registry().get("caravan.tail.lines.read").tag("source", "tail-src").counter();

            rig.stack.kafka().stop();
            try {
                append(log, written, "while-down", 20_000);
                // Reading stops at the window: what was read is what was shipped plus at most a window.
                Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
                    double before = read.count();
                    Thread.sleep(2_000);
                    return read.count() == before;
                });
                double readWhileDown = read.count();
                LOG.info("Kafka down: {} of {} lines read, window {}", (long) readWhileDown, written.size(), WINDOW);
                assertThat(readWhileDown).isGreaterThanOrEqualTo(5_000).isLessThanOrEqualTo(5_000 + WINDOW + 1.0);
                long lag = (long) Metrics.registry().get("caravan.tail.lag.bytes").tag("source", "tail-src").gauge().value();
                assertThat(lag).as("the unread rest waits on disk").isGreaterThan(Files.size(log) / 2);
            } finally {
                rig.stack.kafka().start();
            }
            append(log, written, "after", 5_000);
            ShipRig.assertExactly(rig.await(written.size(), Duration.ofMinutes(2)), written);
        }
    }

    private static void append(Path log, List<String> written, String prefix, int n) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String line = prefix + "-" + i + " GET /checkout?id=" + i + " HTTP/1.1 200 5120";
            written.add(line);
            sb.append(line).append('\n');
        }
        Files.writeString(log, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
