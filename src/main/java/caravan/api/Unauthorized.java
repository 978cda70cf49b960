package caravan.api;

/** No or a wrong bearer token: 401. */
public final class Unauthorized extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Unauthorized(String message) {
        super(message);
    }
}
