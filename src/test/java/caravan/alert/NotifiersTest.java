package caravan.alert;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.Metrics;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NotifiersTest {
    private static AlertEvent event(List<String> channels) {
        return new AlertEvent("k|d|s", AlertEvent.Status.FIRING, "k", "high", null, "d", "s", 1, "m", Instant.EPOCH, Instant.EPOCH,
                "live", channels);
    }

    private static double count(String name) {
        return Metrics.registry().find(name).tag("channel", "webhook").counters().stream().mapToDouble(c -> c.count()).sum();
    }

    @Test
    void aFailingChannelIsCountedAndTheOthersStillGetTheAlert() throws Exception {
        HttpServer refusing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        refusing.createContext("/", ex -> {
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        refusing.start();
        try {
            AtomicInteger logged = new AtomicInteger();
            Notifier counting = new Notifier() {
                @Override
                public String channel() {
                    return "log";
                }

                @Override
                public void send(AlertEvent e) {
                    logged.incrementAndGet();
                }
            };
            Notifiers n = new Notifiers(List.of(new WebhookNotifier(
                    URI.create("http://127.0.0.1:" + refusing.getAddress().getPort() + "/hook"), false, Duration.ofSeconds(5)), counting));
            double failedBefore = count("caravan.alert.notifications.failed");
            n.send(event(List.of("webhook", "log")));
            assertThat(count("caravan.alert.notifications.failed")).isEqualTo(failedBefore + 1);
            assertThat(logged.get()).isEqualTo(1);
            // A rule only goes to its own channels.
            n.send(event(List.of("webhook")));
            assertThat(logged.get()).isEqualTo(1);
            // The alerts index (the alert state) gets every alert, listed or not.
            List<AlertEvent> indexed = new java.util.ArrayList<>();
            Notifier index = new Notifier() {
                @Override
                public String channel() {
                    return "index";
                }

                @Override
                public void send(AlertEvent e) {
                    indexed.add(e);
                }
            };
            new Notifiers(List.of(counting, index)).send(event(List.of("log")));
            assertThat(indexed).hasSize(1);
            assertThat(logged.get()).isEqualTo(2);
        } finally {
            refusing.stop(0);
        }
    }
}
