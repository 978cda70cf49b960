package caravan.parse;

/**
 * Apache common and combined lines, scanned by hand (no regex).
 *
 * <p>{@code %h %l %u %t "%r" %>s %b} and, for combined, {@code "%{Referer}i" "%{User-Agent}i"}.
 */
final class CombinedLogParser implements LineParser {
    private final boolean combined;

    CombinedLogParser(boolean combined) {
        this.combined = combined;
    }

    @Override
    public String dataset() {
        return "apache.access";
    }

    @Override
    public void parse(String line, LogEvent e) throws ParseException {
        Cursor c = new Cursor(line);
        e.message = line;
        e.sourceIp = dash(c.token());
        c.token(); // %l, identd: nobody runs it
        e.userName = dash(c.token());
        e.timestampMillis = ApacheTime.parse(line, c.bracketed(), c.pos);
        String request = c.quoted();
        AccessFields.request(request, e);
        String status = c.token();
        e.statusCode = AccessFields.status(status, c.pos);
        String bytes = c.token();
        e.bodyBytes = "-".equals(bytes) ? LogEvent.ABSENT : AccessFields.number(bytes, c.pos);
        if (combined) {
            e.referrer = dash(c.quoted());
            e.userAgent = dash(c.quoted());
        }
    }

    private static String dash(String s) {
        return s == null || s.equals("-") || s.isEmpty() ? null : s;
    }

    /** A position in the line and the few ways an access-log field is delimited. */
    static final class Cursor {
        final String s;
        int pos;

        Cursor(String s) {
            this.s = s;
        }

        void spaces() {
            while (pos < s.length() && s.charAt(pos) == ' ') {
                pos++;
            }
        }

        String token() throws ParseException {
            spaces();
            if (pos >= s.length()) {
                throw new ParseException(pos, "line ends early");
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ' ') {
                pos++;
            }
            return s.substring(start, pos);
        }

        String bracketed() throws ParseException {
            spaces();
            if (pos >= s.length() || s.charAt(pos) != '[') {
                throw new ParseException(pos, "expected '[' starting the time");
            }
            int end = s.indexOf(']', pos);
            if (end < 0) {
                throw new ParseException(pos, "time has no closing ']'");
            }
            String v = s.substring(pos + 1, end);
            pos = end + 1;
            return v;
        }

        /** A double-quoted field; Apache escapes {@code "} and {@code \} inside with a backslash. */
        String quoted() throws ParseException {
            spaces();
            if (pos >= s.length() || s.charAt(pos) != '"') {
                throw new ParseException(pos, "expected '\"'");
            }
            int i = pos + 1;
            StringBuilder sb = null;
            int start = i;
            while (i < s.length()) {
                char ch = s.charAt(i);
                if (ch == '\\' && i + 1 < s.length()) {
                    if (sb == null) {
                        sb = new StringBuilder();
                    }
                    sb.append(s, start, i).append(s.charAt(i + 1));
                    i += 2;
                    start = i;
                    continue;
                }
                if (ch == '"' && (i + 1 == s.length() || s.charAt(i + 1) == ' ')) {
                    String v = sb == null ? s.substring(start, i) : sb.append(s, start, i).toString();
                    pos = i + 1;
                    return v;
                }
                i++;
            }
            // A line cut short inside its last quoted field (seen in real logs): keep what is there.
            if (sb == null) {
                pos = s.length();
                return s.substring(start);
            }
            pos = s.length();
            return sb.append(s, start, s.length()).toString();
        }
    }
}
