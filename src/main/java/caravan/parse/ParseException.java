package caravan.parse;

/**
 * The one documented way a parser fails: the line does not match its format at all.
 *
 * <p>It names the character position and the reason, which travel with the line to the
 * dead-letter topic. No stack trace is captured: bad lines can arrive by the million and the
 * trace would say nothing the position does not.
 */
public final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int position;
    private final String reason;

    public ParseException(int position, String reason) {
        super("at position " + position + ": " + reason, null, false, false);
        this.position = position;
        this.reason = reason;
    }

    /** Zero-based character offset in the line where matching failed. */
    public int position() {
        return position;
    }

    public String reason() {
        return reason;
    }
}
