package caravan.enrich;

import caravan.ops.Metrics;
import caravan.ops.SafeLog;
import caravan.parse.LogEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An enricher built from an operator's rule file (bots.yaml, threats.yaml), rebuilt when the file
 * changes, like the routes and alerts.yaml: the new rules take over only once they load, and a
 * broken edit keeps the rules in force, with the file and line in the log and
 * {@code caravan_enrich_rules_reload_failures_total{enricher}} counting it.
 *
 * <p>The file is looked at from the enrich call, at most once per interval (a clock read per event
 * otherwise), so there is no thread to manage; a rebuild happens on that call's thread, once.
 */
public final class ReloadingEnricher implements Enricher {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadingEnricher.class);

    private final String name;
    private final Path file;
    private final Supplier<Enricher> build;
    private final long intervalNanos;
    private volatile Enricher current;
    private volatile long nextCheck;
    private Object stamp;

    public ReloadingEnricher(String name, Path file, long intervalMillis, Supplier<Enricher> build) {
        this.name = name;
        this.file = file;
        this.build = build;
        this.intervalNanos = intervalMillis * 1_000_000;
        this.stamp = stamp(file);
        this.current = build.get(); // a broken file at start-up stops the start, as any bad setting does
        this.nextCheck = System.nanoTime() + intervalNanos;
    }

    @Override
    public void enrich(LogEvent event) {
        if (System.nanoTime() - nextCheck >= 0) {
            reloadIfChanged();
        }
        current.enrich(event);
    }

    @Override
    public String name() {
        return name;
    }

    /** The enricher in force (for tests and diagnostics). */
    public Enricher current() {
        return current;
    }

    /** Rebuilds from the file if its size or modification time changed; true if new rules took over. */
    public synchronized boolean reloadIfChanged() {
        nextCheck = System.nanoTime() + intervalNanos;
        Object now = stamp(file);
        if (Objects.equals(now, stamp)) {
            return false;
        }
        stamp = now;
        try {
            current = build.get();
            LOG.info("{} rules reloaded from {}", name, file);
            return true;
        } catch (RuntimeException e) {
            Metrics.registry().counter("caravan.enrich.rules.reload.failures", "enricher", name).increment();
            LOG.error("{} rules in {} not reloaded, the previous rules stay in force: {}", name, file,
                    SafeLog.escape(String.valueOf(e.getMessage())));
            return false;
        }
    }

    private static Object stamp(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.lastModifiedTime().toMillis() + ":" + a.size();
        } catch (IOException e) {
            return "missing";
        }
    }
}
