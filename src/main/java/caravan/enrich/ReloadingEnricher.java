package caravan.enrich;

import caravan.common.Metrics;
import caravan.common.ReloadableFile;
import caravan.event.LogEvent;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * An enricher built from an operator's rule file (bots.yaml, threats.yaml), rebuilt when the file
 * changes, like the routes and alerts.yaml ({@link ReloadableFile}): a broken edit keeps the rules
 * in force and counts in {@code caravan_enrich_rules_reload_failures_total{enricher}}.
 *
 * <p>The file is looked at from the enrich call, at most once per interval (a clock read per event
 * otherwise), so there is no thread to manage; a rebuild happens on that call's thread, once.
 */
public final class ReloadingEnricher implements Enricher {
    private final String name;
    private final ReloadableFile<Enricher> rules;
    private final long intervalNanos;
    private volatile long nextCheck;

    public ReloadingEnricher(String name, Path file, long intervalMillis, Supplier<Enricher> build) {
        this.name = name;
        this.rules = new ReloadableFile<>(name + " rules", file, f -> build.get(),
                Metrics.registry().counter("caravan.enrich.rules.reload.failures", "enricher", name));
        this.intervalNanos = intervalMillis * 1_000_000;
        this.nextCheck = System.nanoTime() + intervalNanos;
    }

    @Override
    public void enrich(LogEvent event) {
        if (System.nanoTime() - nextCheck >= 0) {
            reloadIfChanged();
        }
        rules.current().enrich(event);
    }

    @Override
    public String name() {
        return name;
    }

    /** Rebuilds from the file if its content changed; true if new rules took over. */
    public boolean reloadIfChanged() {
        nextCheck = System.nanoTime() + intervalNanos;
        return rules.reloadIfChanged();
    }
}
