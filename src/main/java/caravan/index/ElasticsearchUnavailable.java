package caravan.index;

/** A bulk request got no bulk response: what the circuit breaker counts as a failed call. */
public final class ElasticsearchUnavailable extends RuntimeException {
    public ElasticsearchUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
