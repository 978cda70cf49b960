package caravan.ship.tail;

import java.util.Locale;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** The {@code tail:} endpoint's options for joining lines into multiline events (a stack trace under its message). */
@UriParams
public class MultilineOptions {
    @UriParam(label = "multiline", description = "RE2/J expression that marks lines belonging together (see"
            + " multilineMode); 'java' stands for Java stack trace continuation lines. Unset: one event per line.")
    private String multilinePattern;

    @UriParam(label = "multiline", defaultValue = "continue", enums = "continue,start", description = "continue:"
            + " a matching line continues the event before it; start: a matching line starts a new event and other"
            + " lines continue it.")
    private String multilineMode = "continue";

    @UriParam(label = "multiline", defaultValue = "false", description = "Invert multilinePattern's match.")
    private boolean multilineNegate;

    @UriParam(label = "multiline", defaultValue = "500", description = "Most lines in one event; further lines are"
            + " dropped from it and the event is flagged truncated.")
    private int multilineMaxLines = 500;

    @UriParam(label = "multiline", defaultValue = "1048576", description = "Most bytes in one event.")
    private int multilineMaxBytes = 1024 * 1024;

    @UriParam(label = "multiline", defaultValue = "2000", description = "Milliseconds after the last line before a"
            + " pending event is shipped without waiting for the next one.")
    private long multilineTimeout = 2000;

    /** The joining mode, checked. */
    MultilineJoiner.Mode mode() {
        return switch (multilineMode.toLowerCase(Locale.ROOT)) {
            case "continue" -> MultilineJoiner.Mode.CONTINUE;
            case "start" -> MultilineJoiner.Mode.START;
            default -> throw new IllegalArgumentException("multilineMode must be continue or start, was " + multilineMode);
        };
    }

    /** The expression to join by ({@code java} stands for {@code javaStackTrace}), checked; null if unset. */
    String pattern(String javaStackTrace) {
        String p = multilinePattern == null || multilinePattern.isEmpty() ? null
                : "java".equals(multilinePattern) ? javaStackTrace : multilinePattern;
        if (p != null) {
            com.google.re2j.Pattern.compile(p); // a syntax error surfaces here, with the expression
        }
        return p;
    }

    public String getMultilinePattern() {
        return multilinePattern;
    }

    public void setMultilinePattern(String multilinePattern) {
        this.multilinePattern = multilinePattern;
    }

    public String getMultilineMode() {
        return multilineMode;
    }

    public void setMultilineMode(String multilineMode) {
        this.multilineMode = multilineMode;
    }

    public boolean isMultilineNegate() {
        return multilineNegate;
    }

    public void setMultilineNegate(boolean multilineNegate) {
        this.multilineNegate = multilineNegate;
    }

    public int getMultilineMaxLines() {
        return multilineMaxLines;
    }

    public void setMultilineMaxLines(int multilineMaxLines) {
        this.multilineMaxLines = multilineMaxLines;
    }

    public int getMultilineMaxBytes() {
        return multilineMaxBytes;
    }

    public void setMultilineMaxBytes(int multilineMaxBytes) {
        this.multilineMaxBytes = multilineMaxBytes;
    }

    public long getMultilineTimeout() {
        return multilineTimeout;
    }

    public void setMultilineTimeout(long multilineTimeout) {
        this.multilineTimeout = multilineTimeout;
    }
}
