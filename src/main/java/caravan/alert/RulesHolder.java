package caravan.alert;

import caravan.common.Metrics;
import caravan.common.ReloadableFile;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
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

    private final ReloadableFile<List<Rule>> rules;

    /** Loads the file; a broken file stops the start-up. */
    public RulesHolder(Path file, Set<String> channels) {
        this.rules = new ReloadableFile<>("Alert rules", file, f -> AlertRules.load(f, channels), failures());
        LAST_OK.set(1);
        LOG.info("Alert rules: {} rule(s) from {}", rules().size(), file);
    }

    public List<Rule> rules() {
        return rules.current();
    }

    public Path file() {
        return rules.file();
    }

    public Instant loadedAt() {
        return rules.loadedAt();
    }

    /** The message of the last refused edit, or null when the file in force is the file on disk. */
    public String lastError() {
        return rules.lastError();
    }

    public static Counter failures() {
        return Counter.builder("caravan.alert.rules.reload.failures")
                .description("Edits of the alert rules file refused (the previous rules were kept)").register(Metrics.registry());
    }

    /** Reloads when the file's content changed; true when new rules are in force. */
    public synchronized boolean reloadIfChanged() {
        boolean changed = rules.reloadIfChanged();
        if (changed) {
            LAST_OK.set(1);
        } else if (rules.lastError() != null) {
            LAST_OK.set(0);
        }
        return changed;
    }
}
