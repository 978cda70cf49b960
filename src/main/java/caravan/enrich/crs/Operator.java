package caravan.enrich.crs;

/** A rule's operator, compiled once; {@link #match} is thread-safe and linear in the value. */
interface Operator {
    /**
     * Whether the operator matches {@code value} (a byte string).
     *
     * @param tx the transaction, for macros in the argument and for {@code capture}
     */
    boolean match(String value, Transaction tx, boolean capture);

    /**
     * Literals (lower-case) one of which the value must contain, once transformed, for a match to
     * be possible; null if none are known. Lets the engine skip the operator on most values.
     */
    default java.util.List<String> requiredLiterals() {
        return null;
    }
}
