package caravan.ship.tail;

import java.nio.file.Path;

/**
 * What a {@link Tailer} needs to know, validated once: the endpoint's options in engine terms.
 * Times are milliseconds.
 */
record TailOptions(
        Glob glob,
        Glob exclude,
        boolean startAtEnd,
        long pollDelay,
        long idlePollDelay,
        long scanInterval,
        boolean watchNewFiles,
        boolean wakeOnWrite,
        Path checkpointFile,
        long checkpointInterval,
        int fingerprintBytes,
        int maxLineBytes,
        long partialLineTimeout,
        String multilinePattern,
        MultilineJoiner.Mode multilineMode,
        boolean multilineNegate,
        int multilineMaxLines,
        int multilineMaxBytes,
        long multilineTimeout,
        int maxInflight,
        long maxInflightBytes,
        long closeInactive,
        long drainTimeout,
        long copyWindow,
        int maxOpenFiles,
        long forgetAfter,
        long retryDelay,
        long retryMaxDelay,
        int readChunkBytes,
        String source) {

    TailOptions {
        positive("pollDelay", pollDelay);
        positive("idlePollDelay", idlePollDelay);
        positive("scanInterval", scanInterval);
        positive("checkpointInterval", checkpointInterval);
        positive("fingerprintBytes", fingerprintBytes);
        positive("maxLineBytes", maxLineBytes);
        positive("maxInflight", maxInflight);
        positive("maxInflightBytes", maxInflightBytes);
        positive("maxOpenFiles", maxOpenFiles);
        positive("retryDelay", retryDelay);
        positive("readChunkBytes", readChunkBytes);
        if (copyWindow < 0) {
            throw new IllegalArgumentException("copyWindow must not be negative, was " + copyWindow);
        }
        if (maxInflightBytes < maxLineBytes) {
            throw new IllegalArgumentException("maxInflightBytes (" + maxInflightBytes
                    + ") must be at least maxLineBytes (" + maxLineBytes + ")");
        }
        if (multilinePattern != null) {
            positive("multilineMaxLines", multilineMaxLines);
            positive("multilineMaxBytes", multilineMaxBytes);
            positive("multilineTimeout", multilineTimeout);
        }
    }

    /**
     * The rest after a pass that found nothing new, {@code quiet} ms after the last pass that did: a
     * quarter of the quiet, from pollDelay up to idlePollDelay. A line after a silence waits at most a
     * quarter as long again, and idle files are looked at a few times a second, not twenty.
     */
    long restAfter(long quiet) {
        return Math.max(pollDelay, Math.min(idlePollDelay, quiet / 4));
    }

    boolean multiline() {
        return multilinePattern != null;
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }
}
