package caravan.alert;

import caravan.common.SafeLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes alerts to Caravan's log (WARN while firing, INFO when resolved). */
public final class LogNotifier implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger("caravan.alerts");

    @Override
    public String channel() {
        return "log";
    }

    @Override
    public void send(AlertEvent e) {
        // The message can quote log content (paths, IPs): escaped so it cannot forge log lines.
        if (e.status() == AlertEvent.Status.FIRING) {
            LOG.warn("alert {} {} {}: {}", e.status(), e.severity(), e.key(), SafeLog.escape(e.message()));
        } else {
            LOG.info("alert {} {} {}: {}", e.status(), e.severity(), e.key(), SafeLog.escape(e.message()));
        }
    }
}
