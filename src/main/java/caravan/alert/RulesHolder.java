package caravan.alert;

import caravan.ops.Metrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules in force. An edit of {@code alerts.yaml} is loaded and validated first; a broken edit
 * keeps the previous rules, is logged with file, line, rule and field, and shows in
 * {@code caravan_alert_rules_reload_failures_total} and {@code caravan_alert_rules_last_success}.
 */
public final class RulesHolder {
    private static final Logger LOG = LoggerFactory.getLogger(RulesHolder.class);
    private static final AtomicInteger LAST_OK = new AtomicInteger(1);

    static {
        Gauge.builder("caravan.alert.rules.last.success", LAST_OK, AtomicInteger::get)
                .description("1 when the last load of the alert rules succeeded, 0 when an edit was refused")
                .register(Metrics.registry());
    }

    private final Path file;
    private final Set<String> channels;
    private volatile List<Rule> rules;
    private volatile String text;
    private volatile Instant loadedAt;
    private volatile String lastError;

    /** Loads the file; a broken file stops the start-up. */
    public RulesHolder(Path file, Set<String> channels) {
        this.file = file;
        this.channels = channels;
        this.rules = AlertRules.load(file, channels);
        this.text = read();
        this.loadedAt = Instant.now();
        LAST_OK.set(1);
        LOG.info("Alert rules: {} rule(s) from {}", rules.size(), file);
    }

    public List<Rule> rules() {
        return rules;
    }

    public Path file() {
        return file;
    }

    public Instant loadedAt() {
        return loadedAt;
    }

    /** The message of the last refused edit, or null when the file in force is the file on disk. */
    public String lastError() {
        return lastError;
    }

    public static Counter failures() {
        return Counter.builder("caravan.alert.rules.reload.failures")
                .description("Edits of the alert rules file refused (the previous rules were kept)").register(Metrics.registry());
    }

    /** Reloads when the file's content changed; true when new rules are in force. */
    public synchronized boolean reloadIfChanged() {
        String now = read();
        if (now == null || now.equals(text)) {
            return false;
        }
        try {
            rules = AlertRules.load(file, channels);
            text = now;
            loadedAt = Instant.now();
            lastError = null;
            LAST_OK.set(1);
            LOG.info("Alert rules reloaded: {} rule(s) from {}", rules.size(), file);
            return true;
        } catch (IllegalArgumentException e) {
            text = now; // the same broken content is reported once, not on every scan
            lastError = e.getMessage();
            LAST_OK.set(0);
            failures().increment();
            LOG.error("Alert rules edit refused, keeping the {} rule(s) in force: {}", rules.size(), e.getMessage());
            return false;
        }
    }

    private String read() {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null; // being replaced by an editor, or removed: keep what is in force
        }
    }
}
