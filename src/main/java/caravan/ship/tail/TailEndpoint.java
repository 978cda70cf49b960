package caravan.ship.tail;

import java.io.IOException;
import java.net.InetAddress;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code tail:<path or glob>?options}: follows log files, through rotation, restarts and crashes,
 * without losing or repeating a line. See the package documentation for the design; times are in
 * milliseconds.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "tail", title = "Tail", syntax = "tail:path", consumerOnly = true,
        headersClass = TailConstants.class,
        category = {Category.FILE, Category.MONITORING})
public class TailEndpoint extends DefaultEndpoint {
    static final String JAVA_STACK_TRACE = "^\\s+at |^\\s+\\.\\.\\. \\d+ (more|common frames omitted)|^\\s*Caused by:|^\\s+Suppressed:";

    @UriPath(description = "The file, or a glob: * and ? within a directory, ** across directories,"
            + " [abc], {a,b}. New matching files are picked up while running.")
    @Metadata(required = true)
    private final String path;

    @UriParam(label = "consumer", description = "Files to leave out: a glob on the file name (*.gz) or,"
            + " with a /, on the whole path.")
    private String exclude;

    @UriParam(label = "consumer", defaultValue = "combined", description = "The parser for these lines, e.g."
            + " combined; travels in the envelope to the indexer.")
    private String format = "combined";

    @UriParam(label = "consumer", description = "The ECS service.name to stamp.")
    private String service;

    @UriParam(label = "consumer", description = "The ECS event.dataset; defaults to what the format's parser says.")
    private String dataset;

    @UriParam(label = "consumer", description = "The host.name to stamp; defaults to this machine's name.")
    private String host;

    @UriParam(label = "consumer", defaultValue = "beginning", enums = "beginning,end", description = "Where to"
            + " start in files that exist on the very first start (no checkpoint file yet). Files that"
            + " appear later, while running or while stopped, are always read from their beginning.")
    private String startPosition = "beginning";

    // 100, not 50: each pass costs the shipper and the indexer a wake-up, a produce request and a batch
    // (the shipper's threads took about a quarter less CPU a line at 5,000 lines/s); the indexer hands a
    // pass on as it comes, so lines still reach their documents sooner than they did at 50 before it
    // (BENCHMARKS.md, "The index consumer's paced polls, session 40").
    @UriParam(label = "consumer", defaultValue = "100", description = "Milliseconds to rest when no file had"
            + " anything new.")
    private long pollDelay = 100;

    // The reader's wake-ups were half of an idle shipper's CPU (BENCHMARKS.md, "Idle cost").
    @UriParam(label = "consumer", defaultValue = "250", description = "Longest rest when files stay quiet: the rest"
            + " grows from pollDelay to a quarter of the time since anything was new, up to this.")
    private long idlePollDelay = 250;

    @UriParam(label = "consumer", defaultValue = "1000", description = "Milliseconds between expansions of the"
            + " glob (new files, renames, deletions).")
    private long scanInterval = 1000;

    // Off only where inotify does not see creations (NFS and other network file systems) or runs short.
    @UriParam(label = "consumer", defaultValue = "true", description = "Watch the glob's directories (inotify) so that a new"
            + " file, a rotated log's successor included, is read at once instead of at the next scan.")
    private boolean watchNewFiles = true;

    // Armed only while the files are quiet, so a steady flow raises no event per line (WriteWatch).
    @UriParam(label = "consumer", defaultValue = "true", description = "While its files are quiet, wake the reader when one"
            + " is written (inotify on their directories), so a line after a silence is read at once, not at the rest's end.")
    private boolean wakeOnWrite = true;

    @UriParam
    private CheckpointOptions checkpoint = new CheckpointOptions();

    @UriParam(label = "advanced", defaultValue = "1024", description = "Bytes at the start of a file that identify it"
            + " (with the device and inode).")
    private int fingerprintBytes = 1024;

    @UriParam(label = "consumer", defaultValue = "1048576", description = "Longest line shipped; a longer one is cut"
            + " (flagged CaravanTruncated, log.flags: [truncated]) and the rest skipped to its newline. Keep it under"
            + " Kafka's max.request.size.")
    private int maxLineBytes = 1024 * 1024;

    @UriParam(label = "consumer", defaultValue = "30000", description = "Milliseconds a last line without a newline"
            + " waits before it is shipped as it is; 0 waits for the newline forever.")
    private long partialLineTimeout = 30_000;

    @UriParam
    private MultilineOptions multiline = new MultilineOptions();

    @UriParam(label = "consumer", defaultValue = "10000", description = "Most events sent and not yet acknowledged;"
            + " when reached, reading pauses (backpressure: memory stays bounded, nothing is dropped).")
    private int maxInflight = 10_000;

    @UriParam(label = "consumer", defaultValue = "33554432", description = "Most bytes of events sent and not yet"
            + " acknowledged.")
    private long maxInflightBytes = 32L * 1024 * 1024;

    @UriParam(label = "consumer", description = "Most lines (or multiline events) in one exchange."
            + " 1: one exchange per line, with the line as a String body. Above 1: one exchange carries consecutive"
            + " lines of one file, as a List of Messages (each with the line as its String body and its own"
            + " CaravanOffset and CaravanTruncated headers; the file's headers are on the exchange), which the ship route"
            + " sends as one Kafka record per line. Much cheaper per line; steps meant for a single line (filter,"
            + " setHeader, a body transform) do not apply to such an exchange. Unset: the route decides - batches of the"
            + " component's batchLines when its only step sends to direct:ship, else 1.")
    private Integer maxBatchLines;

    @UriParam(label = "advanced", defaultValue = "300000", description = "Milliseconds without growth after which a"
            + " file's handle is closed (it is reopened by name when it grows).")
    private long closeInactive = 300_000;

    @UriParam
    private RotationOptions rotation = new RotationOptions();

    @UriParam(label = "advanced", defaultValue = "1024", description = "Most files open at once; idle ones are closed"
            + " first.")
    private int maxOpenFiles = 1024;

    @UriParam(label = "advanced", defaultValue = "1000", description = "First delay before re-reading a file after a"
            + " delivery failure; doubles per failure.")
    private long retryDelay = 1000;

    @UriParam(label = "advanced", defaultValue = "30000", description = "Longest delay between re-reads after failures.")
    private long retryMaxDelay = 30_000;

    @UriParam(label = "advanced", defaultValue = "262144", description = "Bytes read from one file per turn.")
    private int readChunkBytes = 256 * 1024;

    public TailEndpoint(String uri, TailComponent component, String path) {
        super(uri, component);
        this.path = path;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("tail: is a consumer only; use it in from()");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        TailConsumer consumer = new TailConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    /** Fails fast on options that cannot work, so a bad YAML route is refused at load. */
    void validate() {
        options("validate");
        if (maxBatchLines != null && maxBatchLines <= 0) {
            throw new IllegalArgumentException("maxBatchLines must be positive, was " + maxBatchLines);
        }
    }

    TailOptions options(String source) {
        if (!"beginning".equals(startPosition) && !"end".equals(startPosition)) {
            throw new IllegalArgumentException("startPosition must be beginning or end, was " + startPosition);
        }
        MultilineOptions m = multiline;
        MultilineJoiner.Mode mode = m.mode();
        String pattern = m.pattern(JAVA_STACK_TRACE);
        return new TailOptions(Glob.of(path), exclude == null || exclude.isEmpty() ? null : Glob.exclusion(exclude),
                "end".equals(startPosition), pollDelay, idlePollDelay, scanInterval, watchNewFiles, wakeOnWrite,
                checkpoint.file(path), checkpoint.getCheckpointInterval(),
                fingerprintBytes, maxLineBytes, partialLineTimeout, pattern, mode, m.isMultilineNegate(), m.getMultilineMaxLines(),
                m.getMultilineMaxBytes(), m.getMultilineTimeout(), maxInflight, maxInflightBytes, closeInactive,
                rotation.getDrainTimeout(), copyWindow(), maxOpenFiles, checkpoint.getForgetAfter(), retryDelay, retryMaxDelay, readChunkBytes,
                source);
    }

    private long copyWindow() {
        Long own = rotation.getCopyWindow();
        return own != null ? own : ((TailComponent) getComponent()).getCopyWindow();
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }

    // ------------------------------------------------------------------------------------------
    // Options

    public String getPath() {
        return path;
    }

    public String getExclude() {
        return exclude;
    }

    public void setExclude(String exclude) {
        this.exclude = exclude;
    }

    public String getFormat() {
        return format;
    }

    public void setFormat(String format) {
        this.format = format;
    }

    public String getService() {
        return service;
    }

    public void setService(String service) {
        this.service = service;
    }

    public String getDataset() {
        return dataset;
    }

    public void setDataset(String dataset) {
        this.dataset = dataset;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public String getStartPosition() {
        return startPosition;
    }

    public void setStartPosition(String startPosition) {
        this.startPosition = startPosition;
    }

    public long getPollDelay() {
        return pollDelay;
    }

    public void setPollDelay(long pollDelay) {
        this.pollDelay = pollDelay;
    }

    public long getIdlePollDelay() {
        return idlePollDelay;
    }

    public void setIdlePollDelay(long idlePollDelay) {
        this.idlePollDelay = idlePollDelay;
    }

    public boolean isWatchNewFiles() {
        return watchNewFiles;
    }

    public void setWatchNewFiles(boolean watchNewFiles) {
        this.watchNewFiles = watchNewFiles;
    }

    public boolean isWakeOnWrite() {
        return wakeOnWrite;
    }

    public void setWakeOnWrite(boolean wakeOnWrite) {
        this.wakeOnWrite = wakeOnWrite;
    }

    public long getScanInterval() {
        return scanInterval;
    }

    public void setScanInterval(long scanInterval) {
        this.scanInterval = scanInterval;
    }

    public int getFingerprintBytes() {
        return fingerprintBytes;
    }

    public void setFingerprintBytes(int fingerprintBytes) {
        this.fingerprintBytes = fingerprintBytes;
    }

    public int getMaxLineBytes() {
        return maxLineBytes;
    }

    public void setMaxLineBytes(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    public long getPartialLineTimeout() {
        return partialLineTimeout;
    }

    public void setPartialLineTimeout(long partialLineTimeout) {
        this.partialLineTimeout = partialLineTimeout;
    }

    public MultilineOptions getMultiline() {
        return multiline;
    }

    public void setMultiline(MultilineOptions multiline) {
        this.multiline = multiline;
    }

    public int getMaxInflight() {
        return maxInflight;
    }

    public void setMaxInflight(int maxInflight) {
        this.maxInflight = maxInflight;
    }

    public long getMaxInflightBytes() {
        return maxInflightBytes;
    }

    public void setMaxInflightBytes(long maxInflightBytes) {
        this.maxInflightBytes = maxInflightBytes;
    }

    /** The route's own setting, or null: then the route's steps decide (TailComponent#batchLinesFor). */
    public Integer getMaxBatchLines() {
        return maxBatchLines;
    }

    public void setMaxBatchLines(Integer maxBatchLines) {
        this.maxBatchLines = maxBatchLines;
    }

    public long getCloseInactive() {
        return closeInactive;
    }

    public void setCloseInactive(long closeInactive) {
        this.closeInactive = closeInactive;
    }

    public CheckpointOptions getCheckpoint() {
        return checkpoint;
    }

    public void setCheckpoint(CheckpointOptions checkpoint) {
        this.checkpoint = checkpoint;
    }

    public RotationOptions getRotation() {
        return rotation;
    }

    public void setRotation(RotationOptions rotation) {
        this.rotation = rotation;
    }

    public int getMaxOpenFiles() {
        return maxOpenFiles;
    }

    public void setMaxOpenFiles(int maxOpenFiles) {
        this.maxOpenFiles = maxOpenFiles;
    }

    public long getRetryDelay() {
        return retryDelay;
    }

    public void setRetryDelay(long retryDelay) {
        this.retryDelay = retryDelay;
    }

    public long getRetryMaxDelay() {
        return retryMaxDelay;
    }

    public void setRetryMaxDelay(long retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public int getReadChunkBytes() {
        return readChunkBytes;
    }

    public void setReadChunkBytes(int readChunkBytes) {
        this.readChunkBytes = readChunkBytes;
    }
}
