package caravan.alert;

import caravan.common.Metrics;
import io.micrometer.core.instrument.Counter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each alert event to the channels its rule names, plus the alerts index, counting what went
 * out and what failed.
 */
public final class Notifiers {
    private static final Logger LOG = LoggerFactory.getLogger(Notifiers.class);
    private final Map<String, Notifier> byChannel = new LinkedHashMap<>();

    public Notifiers(List<Notifier> notifiers) {
        notifiers.forEach(n -> byChannel.put(n.channel(), n));
    }

    public Set<String> channels() {
        return byChannel.keySet();
    }

    public void send(AlertEvent e) {
        // The alerts index is the alert state (a new lease holder and /api/alerts read it): always written.
        java.util.Set<String> channels = new java.util.LinkedHashSet<>(e.channels());
        channels.add("index");
        for (String ch : channels) {
            Notifier n = byChannel.get(ch);
            if (n == null) {
                continue; // validated at load; a channel can only vanish with a restart
            }
            try {
                n.send(e);
                counter("caravan.alert.notifications", ch, e).increment();
            } catch (Exception ex) {
                counter("caravan.alert.notifications.failed", ch, e).increment();
                LOG.error("alert {} {} could not be sent to {}: {}", e.status(), e.key(), ch, ex.toString());
            }
        }
    }

    private static Counter counter(String name, String channel, AlertEvent e) {
        return Counter.builder(name).description("Alert notifications by channel and status")
                .tag("channel", channel).tag("status", e.status().name().toLowerCase(java.util.Locale.ROOT))
                .register(Metrics.registry());
    }
}
