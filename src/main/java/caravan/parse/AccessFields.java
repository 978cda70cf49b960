package caravan.parse;

/** Splitting the pieces of an access-log line that every web server writes the same way. */
final class AccessFields {
    private AccessFields() {
    }

    /**
     * {@code %r}: {@code METHOD target HTTP/x.y}. A request that is not of that shape ({@code -} for
     * a 408, TLS bytes sent to a plain port) is real traffic: it keeps what can be read and never
     * fails the line.
     */
    static void request(String r, LogEvent e) {
        if (r == null || r.isEmpty() || r.equals("-")) {
            return;
        }
        int sp1 = r.indexOf(' ');
        if (sp1 <= 0) {
            e.urlOriginal = null;
            e.put("caravan.request.invalid", r);
            return;
        }
        String method = r.substring(0, sp1);
        if (!isToken(method)) {
            e.put("caravan.request.invalid", r);
            return;
        }
        e.method = method;
        int sp2 = r.lastIndexOf(' ');
        String target;
        if (sp2 > sp1 && r.startsWith("HTTP/", sp2 + 1)) {
            target = r.substring(sp1 + 1, sp2);
            e.httpVersion = r.substring(sp2 + 6);
        } else {
            target = r.substring(sp1 + 1);
        }
        url(target, e);
    }

    static void url(String target, LogEvent e) {
        if (target.isEmpty()) {
            return;
        }
        e.urlOriginal = target;
        int q = target.indexOf('?');
        if (q >= 0) {
            e.urlPath = target.substring(0, q);
            if (q + 1 < target.length()) {
                e.urlQuery = target.substring(q + 1);
            }
        } else {
            e.urlPath = target;
        }
    }

    static int status(String s, int pos) throws ParseException {
        if (s.length() != 3) {
            throw new ParseException(pos, "status '" + s + "' is not a 3-digit code");
        }
        return (int) number(s, pos);
    }

    static long number(String s, int pos) throws ParseException {
        if (s.isEmpty() || s.length() > 18) {
            throw new ParseException(pos, "'" + s + "' is not a number");
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw new ParseException(pos, "'" + s + "' is not a number");
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isToken(String m) {
        if (m.length() > 32) {
            return false;
        }
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && c != '-' && c != '_') {
                return false;
            }
        }
        return true;
    }
}
