package caravan.enrich.threat;

/** The parts of an event a threat rule can look at, each normalised before matching. */
public enum Target {
    /** {@code url.original}: path and query, decoded ({@link Normalizer#text}). */
    REQUEST("request"),
    /** {@code url.path} resolved like a server would ({@link Normalizer#path}): for file probes. */
    PATH("path"),
    /** {@code user_agent.original}. */
    USER_AGENT("user_agent"),
    /** {@code http.request.referrer}. */
    REFERRER("referrer");

    private final String key;

    Target(String key) {
        this.key = key;
    }

    /** The name used in rule files. */
    public String key() {
        return key;
    }

    static Target parse(String s) {
        for (Target t : values()) {
            if (t.key.equals(s)) {
                return t;
            }
        }
        return null;
    }
}
