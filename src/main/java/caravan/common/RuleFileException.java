package caravan.common;

/** A rule file that cannot be used, with where and why: {@code threats.yaml:12: unknown key 'patern'}. */
public final class RuleFileException extends IllegalArgumentException {
    private final String source;
    private final int line;
    private final String reason;

    public RuleFileException(String source, int line, String reason) {
        super(source + (line > 0 ? ":" + line : "") + ": " + reason);
        this.source = source;
        this.line = line;
        this.reason = reason;
    }

    public String source() {
        return source;
    }

    /** 1-based line, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }

    public String reason() {
        return reason;
    }
}
