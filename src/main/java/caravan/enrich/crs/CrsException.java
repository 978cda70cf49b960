package caravan.enrich.crs;

/** A rule file Caravan cannot use: the message names the file, line and reason. */
public final class CrsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CrsException(String message) {
        super(message);
    }

    public CrsException(String message, Throwable cause) {
        super(message, cause);
    }
}
