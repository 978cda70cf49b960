package caravan.generate;

/** The formats the generator writes, each with the Caravan parser spec that reads it. */
public enum GenFormat {
    /** Apache's combined LogFormat. */
    APACHE("combined"),
    /** nginx's combined log_format. */
    NGINX("nginx"),
    /** The application text format: {@code 2026-01-01 00:00:00.123 INFO [service] message}. */
    APP("app"),
    /** One JSON object per line, with @timestamp, level, service and message. */
    JSON("json");

    private final String parserSpec;

    GenFormat(String parserSpec) {
        this.parserSpec = parserSpec;
    }

    /** The {@code format} a Caravan source reading these lines uses. */
    public String parserSpec() {
        return parserSpec;
    }
}
