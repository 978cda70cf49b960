package caravan.ship.tail;

/**
 * One line (or joined multiline event) on its way to the route. The route's completion calls
 * {@link #done}: only a success lets the stream's checkpoint move past it.
 */
public final class TailEvent {
    private final Delivery owner;
    final Stream stream;
    final long seq;
    private final long offset;
    private final String text;
    private final boolean truncated;
    final int weight;
    private volatile boolean completed;

    TailEvent(Delivery owner, Stream stream, long seq, long offset, String text, boolean truncated, int weight) {
        this.owner = owner;
        this.stream = stream;
        this.seq = seq;
        this.offset = offset;
        this.text = text;
        this.truncated = truncated;
        this.weight = weight;
    }

    /** The line, UTF-8 decoded; invalid bytes are U+FFFD. */
    public String text() {
        return text;
    }

    /** Byte offset of the event's first byte in its file. */
    public long offset() {
        return offset;
    }

    /** The file identity: stable across renames, restarts and copytruncate copies. */
    public String fileId() {
        return stream.id;
    }

    /** The path the file was first seen at. */
    public String path() {
        return stream.path;
    }

    /** True if the line (or event) was cut at maxLineBytes (or the multiline limits). */
    public boolean truncated() {
        return truncated;
    }

    /**
     * Reports the outcome; the first call counts. {@code error} (may be null) is logged once per
     * failure episode of the file.
     */
    public void done(boolean ok, Throwable error) {
        if (completed) {
            return;
        }
        completed = true;
        owner.completed(this, ok, error);
    }
}
