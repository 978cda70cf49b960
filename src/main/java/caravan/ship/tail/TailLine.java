package caravan.ship.tail;

import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.support.DefaultMessage;

/**
 * One line of a batch (tail:'s maxBatchLines): a Message whose {@link TailConstants#OFFSET} and
 * {@link TailConstants#TRUNCATED} headers are made only when a step reads its headers. A batch
 * target that knows this type reads {@link #offset()} and {@link #truncated()} instead: a header
 * map per line (Camel's is a case-insensitive tree) was a tenth of the shipper's reader thread.
 */
public final class TailLine extends DefaultMessage {
    private final long offset;
    private final boolean truncated;

    public TailLine(CamelContext context, String text, long offset, boolean truncated) {
        super(context);
        setBody(text);
        this.offset = offset;
        this.truncated = truncated;
    }

    /** Byte offset of the line's first byte in its file. */
    public long offset() {
        return offset;
    }

    /** True if the line was cut at maxLineBytes (or the multiline limits). */
    public boolean truncated() {
        return truncated;
    }

    /**
     * True while no step has asked for the headers: {@link #offset()} and {@link #truncated()} are
     * then all the line carries besides its body. Once they are made, a step may have changed them.
     */
    public boolean headersUnread() {
        return !hasPopulatedHeaders();
    }

    @Override
    protected boolean isPopulateHeadersSupported() {
        return true;
    }

    @Override
    protected void populateInitialHeaders(Map<String, Object> map) {
        map.put(TailConstants.OFFSET, offset);
        if (truncated) {
            map.put(TailConstants.TRUNCATED, Boolean.TRUE);
        }
    }
}
