package caravan.common;

import io.micrometer.core.instrument.Counter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
    /** What is compared to tell an edit: the file's text, or for a directory of files a listing of them. */
    private final Function<Path, String> stamp;
    private final Counter failures;
    private volatile T current;
    private volatile String text;
    private volatile Instant loadedAt;
    private volatile String lastError;

    /** Loads the file now; a broken file throws, which stops the start-up like any bad setting. */
    public ReloadableFile(String what, Path file, Function<Path, T> load, Counter failures) {
        this(what, file, load, failures, ReloadableFile::text, null);
    }

    /**
     * A rule set of several files (a directory of them): {@code stamp} tells when any changed, as
     * {@link #stamp(List)} does (names, sizes, modification times); null when they cannot be read.
     *
     * @param initial what is in force now, already loaded from the files; null loads it here
     */
    public ReloadableFile(String what, Path file, Function<Path, T> load, Counter failures, Function<Path, String> stamp,
            T initial) {
        this.what = what;
        this.file = file;
        this.load = load;
        this.stamp = stamp;
        this.failures = failures;
        this.text = stamp.apply(file);
        this.current = initial != null ? initial : load.apply(file);
        this.loadedAt = Instant.now();
    }

    /** Each file's name, size and modification time, one a line; null if one cannot be read. */
    public static String stamp(List<Path> files) {
        StringBuilder b = new StringBuilder();
        try {
            for (Path f : files) {
                b.append(f).append(' ').append(Files.size(f)).append(' ').append(Files.getLastModifiedTime(f).toMillis()).append('\n');
            }
        } catch (IOException e) {
            return null; // being replaced by an editor, or removed: keep what is in force
        }
        return b.toString();
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
        String now = stamp.apply(file);
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

    private static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return null; // being replaced by an editor, or removed: keep what is in force
        }
    }
}
