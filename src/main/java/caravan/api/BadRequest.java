package caravan.api;

/** A request the API refuses with 400 and this message (never a 500 for a client's mistake). */
public final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadRequest(String message) {
        super(message);
    }
}
