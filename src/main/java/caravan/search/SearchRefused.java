package caravan.search;

/**
 * A request that the search engine refuses and that no retry will make pass: wrong credentials, a
 * missing privilege, an untrusted certificate, a request the engine cannot read, an engine or version
 * Caravan does not support. Not an outage: the circuit breaker does not count it, nothing is
 * dead-lettered for it, and readiness is down with the message, which names what to change.
 */
public final class SearchRefused extends RuntimeException {
    /** The kinds, also the metric's label. */
    public enum Kind {
        AUTHENTICATION, AUTHORISATION, TLS, BAD_REQUEST, UNSUPPORTED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Kind kind;

    public SearchRefused(Kind kind, String message) {
        this(kind, message, null);
    }

    public SearchRefused(Kind kind, String message, Throwable cause) {
        super(message, cause, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
