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
        this(name, new ReloadableFile<>(name + " rules", file, f -> build.get(), failures(name)), intervalMillis);
    }

    /**
     * Rules read from several files (CRS: a directory of rule and data files, exclusion files).
     *
     * @param stamp   changes when any of the files does ({@link ReloadableFile#stamp})
     * @param initial the enricher built from the files as they are now
     */
    public ReloadingEnricher(String name, Path dir, long intervalMillis, Supplier<Enricher> build, Supplier<String> stamp,
            Enricher initial) {
        this(name, new ReloadableFile<>(name + " rules", dir, f -> build.get(), failures(name), f -> stamp.get(), initial),
                intervalMillis);
    }

    private ReloadingEnricher(String name, ReloadableFile<Enricher> rules, long intervalMillis) {
        this.name = name;
        this.rules = rules;
        this.intervalNanos = intervalMillis * 1_000_000;
        this.nextCheck = System.nanoTime() + intervalNanos;
        Metrics.enrichRulesRefused(name, () -> rules.lastError() == null ? 0 : 1);
    }

    private static io.micrometer.core.instrument.Counter failures(String name) {
        return Metrics.registry().counter("caravan.enrich.rules.reload.failures", "enricher", name);
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

    /** The enricher in force. */
    public Enricher current() {
        return rules.current();
    }

    /** Why the last edit was refused (file, line, reason), or null when the files on disk are in force. */
    public String lastError() {
        return rules.lastError();
    }

    /** Rebuilds from the file if its content changed; true if new rules took over. */
    public boolean reloadIfChanged() {
        nextCheck = System.nanoTime() + intervalNanos;
        return rules.reloadIfChanged();
    }
}
