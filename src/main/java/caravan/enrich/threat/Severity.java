package caravan.enrich.threat;

import java.util.Locale;

/** How bad a match is; an event's severity is that of its worst rule. */
public enum Severity {
    LOW, MEDIUM, HIGH, CRITICAL;

    /** The value indexed in {@code caravan.threat.severity}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code low}, {@code medium}, {@code high} or {@code critical}; null for anything else. */
    static Severity parse(String s) {
        for (Severity v : values()) {
            if (v.label().equals(s)) {
                return v;
            }
        }
        return null;
    }
}
