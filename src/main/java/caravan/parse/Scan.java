package caravan.parse;

import caravan.event.LogEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What one line's scan collects on the side: values cut to size, values that were present but
 * unreadable, time pieces. One per line, so parsers stay shareable between threads.
 *
 * <p>The flags it leaves on the event are Caravan's own: {@code caravan.truncated} (a value was cut
 * at {@link Http#MAX_FIELD} characters) and {@code caravan.invalid_fields} (ECS names whose text was
 * there but could not be read, e.g. a status of {@code abc}; the raw line keeps the text).
 */
final class Scan {
    private boolean truncated;
    private List<String> invalid;
    TimeParts begin;
    TimeParts end;
    boolean incomplete;
    // The first backslash at or after bsFrom in bsLine (-1: none): fields are read left to right, so
    // finding out whether a value holds escapes costs one pass over the line, not one per field.
    private String bsLine;
    private int bsFrom;
    private int bsAt;

    /** Whether {@code s[from, to)} holds a backslash, i.e. escapes to decode. */
    boolean hasEscape(String s, int from, int to) {
        if (s != bsLine || from < bsFrom || (bsAt >= 0 && bsAt < from)) {
            bsLine = s;
            bsFrom = from;
            bsAt = s.indexOf('\\', from);
        }
        return bsAt >= 0 && bsAt < to;
    }

    String clip(String s, int from, int to) {
        if (to - from > Http.MAX_FIELD) {
            truncated = true;
            to = from + Http.MAX_FIELD;
            if (Character.isHighSurrogate(s.charAt(to - 1))) {
                to--;
            }
        }
        return s.substring(from, to);
    }

    String clip(String s) {
        return s.length() > Http.MAX_FIELD ? clip(s, 0, s.length()) : s;
    }

    void invalid(String field) {
        if (invalid == null) {
            invalid = new ArrayList<>(2);
        }
        if (!invalid.contains(field)) {
            invalid.add(field);
        }
    }

    void markTruncated() {
        truncated = true;
    }

    TimeParts time(boolean endSlot) {
        if (endSlot) {
            return end == null ? end = new TimeParts() : end;
        }
        return begin == null ? begin = new TimeParts() : begin;
    }

    void finish(LogEvent e) {
        if (incomplete) {
            e.put("caravan.incomplete", Boolean.TRUE);
        }
        if (truncated) {
            e.put("caravan.truncated", Boolean.TRUE);
        }
        if (invalid != null) {
            e.put("caravan.invalid_fields", invalid);
        }
    }
}
