package caravan.common;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file that operators edit while Caravan runs (alerts.yaml, bots.yaml, threats.yaml), held in its
 * loaded form. An edit is loaded and validated first and only then takes over; a broken edit keeps
 * the previous form, is logged with the loader's message (file and line) and counted.
 */
public final class ReloadableFile<T> {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadableFile.class);

    private final String what;
    private final Path file;
    private final Function<Path, T> load;
    private final Counter failures;
    private volatile T current;
    private volatile String text;
    private volatile Instant loadedAt;
    private volatile String lastError;

    /** Loads the file now; a broken file throws, which stops the start-up like any bad setting. */
    public ReloadableFile(String what, Path file, Function<Path, T> load, Counter failures) {
        this.what = what;
        this.file = file;
        this.load = load;
        this.failures = failures;
        this.current = load.apply(file);
        this.text = read();
        this.loadedAt = Instant.now();
    }

    public T current() {
        return current;
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

    /** Loads the file again if its content changed; true when the new content is in force. */
    public synchronized boolean reloadIfChanged() {
        String now = read();
        if (now == null || now.equals(text)) {
            return false;
        }
        text = now; // the same broken content is reported once, not on every look
        try {
            current = load.apply(file);
            loadedAt = Instant.now();
            lastError = null;
            LOG.info("{} reloaded from {}", what, file);
            return true;
        } catch (RuntimeException e) {
            lastError = e.getMessage();
            failures.increment();
            LOG.error("{} edit refused, the previous ones stay in force: {}", what, SafeLog.escape(String.valueOf(e.getMessage())));
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
