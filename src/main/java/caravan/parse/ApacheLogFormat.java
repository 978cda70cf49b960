package caravan.parse;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compiles an Apache httpd {@code LogFormat} string (mod_log_config) into an {@link AccessLogParser}.
 *
 * <p>Accepts the string as it appears in httpd.conf: bare ({@code %h %l %u %t \"%r\" %>s %b}), in its
 * double quotes, or as the whole {@code LogFormat "..." nickname} line. {@code \"} is a quote,
 * {@code \t}/{@code \n} whitespace, as httpd reads them. Status conditions and the original/final
 * modifiers ({@code %400,501{User-agent}i}, {@code %!200h}, {@code %>s}, {@code %<s}) are accepted and
 * change nothing: httpd writes {@code -} when a condition fails, and {@code -} is read as absent.
 */
final class ApacheLogFormat {
    static final String COMMON = "%h %l %u %t \"%r\" %>s %b";
    static final String COMBINED = "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"";
    static final String VHOST_COMBINED = "%v:%p %h %l %u %t \"%r\" %>s %O \"%{Referer}i\" \"%{User-Agent}i\"";
    static final String REFERER = "%{Referer}i -> %U";
    static final String AGENT = "%{User-agent}i";

    private ApacheLogFormat() {
    }

    /** @throws IllegalArgumentException naming the directive and its position */
    static AccessLogParser compile(String spec, String dataset, ZoneId zone) {
        String fmt = unwrap(spec.trim());
        if (fmt.isEmpty()) {
            throw new IllegalArgumentException("empty LogFormat");
        }
        List<Object> elements = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < fmt.length()) {
            char c = fmt.charAt(i);
            if (c != '%') {
                lit.append(c);
                i++;
                continue;
            }
            int start = i++;
            String param = null;
            String letter = null;
            while (letter == null) {
                if (i >= fmt.length()) {
                    throw new IllegalArgumentException("LogFormat directive at position " + start
                            + " is incomplete: '" + fmt.substring(start) + "'");
                }
                char d = fmt.charAt(i);
                if (d == '{') {
                    int close = fmt.indexOf('}', i);
                    if (close < 0) {
                        throw new IllegalArgumentException("LogFormat: '{' at position " + i + " is never closed");
                    }
                    param = fmt.substring(i + 1, close);
                    i = close + 1;
                } else if (d == '!' || d == '<' || d == '>' || d == ',' || (d >= '0' && d <= '9')) {
                    i++;
                } else if (d == '^') {
                    if (i + 2 >= fmt.length()) {
                        throw new IllegalArgumentException("LogFormat: '%^' at position " + start
                                + " needs two letters (^ti or ^to)");
                    }
                    letter = fmt.substring(i, i + 3);
                    i += 3;
                } else {
                    letter = String.valueOf(d);
                    i++;
                }
            }
            if (letter.equals("%")) {
                lit.append('%');
                continue;
            }
            if (lit.length() > 0) {
                elements.add(lit.toString());
                lit.setLength(0);
            }
            elements.add(directive(letter, param, fmt.substring(start, i), start));
        }
        if (lit.length() > 0) {
            elements.add(lit.toString());
        }
        if (elements.stream().noneMatch(e -> e instanceof AccessField)) {
            throw new IllegalArgumentException("LogFormat '" + fmt + "' has no % directive: nothing to read");
        }
        return new AccessLogParser(dataset, fmt, elements, zone);
    }

    /** The format string proper from what the user pasted. */
    static String unwrap(String s) {
        if (s.regionMatches(true, 0, "LogFormat ", 0, 10) || s.regionMatches(true, 0, "CustomLog ", 0, 10)) {
            s = s.substring(10).trim();
            if (s.startsWith("\"")) {
                int close = closingQuote(s);
                if (close > 0) {
                    s = s.substring(0, close + 1);
                }
            } else {
                int sp = s.indexOf(' ');
                s = sp < 0 ? s : s.substring(0, sp);
            }
        }
        if (s.length() >= 2 && s.startsWith("\"") && closingQuote(s) == s.length() - 1) {
            s = s.substring(1, s.length() - 1);
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(i + 1);
                switch (n) {
                    case '"', '\\' -> out.append(n);
                    case 't' -> out.append('\t');
                    case 'n' -> out.append('\n');
                    default -> {
                        out.append(c);
                        continue;
                    }
                }
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static int closingQuote(String s) {
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '"') {
                return i;
            }
        }
        return -1;
    }

    private static AccessField directive(String letter, String param, String src, int at) {
        String p = param == null ? null : param.toLowerCase(Locale.ROOT);
        switch (letter) {
            case "a":
                return p == null ? new AccessField(AccessField.SOURCE_HOST, null, src)
                        : new AccessField(AccessField.STRING, "apache.access.peer_address", src);
            case "h":
                return p == null ? new AccessField(AccessField.SOURCE_HOST, null, src)
                        : new AccessField(AccessField.STRING, "apache.access.peer_host", src);
            case "A":
                return new AccessField(AccessField.IP, "server.ip", src);
            case "b":
            case "B":
                return new AccessField(AccessField.BODY_BYTES, null, src);
            case "O":
                return new AccessField(AccessField.RESPONSE_BYTES, null, src);
            case "I":
                return new AccessField(AccessField.REQUEST_BYTES, null, src);
            case "S":
                return new AccessField(AccessField.LONG, "apache.access.bytes_transferred", src);
            case "D":
                return AccessField.duration(1_000L, src);
            case "T":
                if (p == null || p.equals("s")) {
                    return AccessField.duration(1_000_000_000L, src);
                }
                if (p.equals("ms")) {
                    return AccessField.duration(1_000_000L, src);
                }
                if (p.equals("us")) {
                    return AccessField.duration(1_000L, src);
                }
                throw new IllegalArgumentException("LogFormat " + src + " at position " + at
                        + ": the unit must be s, ms or us");
            case "f":
                return new AccessField(AccessField.STRING, "file.path", src);
            case "H":
                return new AccessField(AccessField.PROTOCOL, null, src);
            case "k":
                return new AccessField(AccessField.LONG, "apache.access.keepalive_requests", src);
            case "l":
                return new AccessField(AccessField.STRING, "apache.access.identity", src);
            case "L":
                return new AccessField(AccessField.STRING, "http.request.id", src);
            case "m":
                return new AccessField(AccessField.METHOD, null, src);
            case "p":
                if (p == null || p.equals("canonical") || p.equals("local")) {
                    return new AccessField(AccessField.SERVER_PORT, null, src);
                }
                if (p.equals("remote")) {
                    return new AccessField(AccessField.SOURCE_PORT, null, src);
                }
                throw new IllegalArgumentException("LogFormat " + src + " at position " + at
                        + ": the port format must be canonical, local or remote");
            case "P":
                if (p == null || p.equals("pid")) {
                    return new AccessField(AccessField.LONG, "process.pid", src);
                }
                if (p.equals("tid")) {
                    return new AccessField(AccessField.LONG, "process.thread.id", src);
                }
                if (p.equals("hextid")) {
                    return new AccessField(AccessField.STRING, "apache.access.thread_hex", src);
                }
                throw new IllegalArgumentException("LogFormat " + src + " at position " + at
                        + ": the format must be pid, tid or hextid");
            case "q":
                return new AccessField(AccessField.QUERY_WITH_MARK, null, src);
            case "r":
                return new AccessField(AccessField.REQUEST, null, src);
            case "R":
                return new AccessField(AccessField.STRING, "apache.access.handler", src);
            case "s":
                return new AccessField(AccessField.STATUS, null, src);
            case "t":
                return time(param, src, at);
            case "u":
                return new AccessField(AccessField.USER, null, src);
            case "U":
                return new AccessField(AccessField.URL_PATH, null, src);
            case "v":
                return new AccessField(AccessField.DEST_DOMAIN, null, src);
            case "V":
                return new AccessField(AccessField.URL_DOMAIN, null, src);
            case "X":
                return new AccessField(AccessField.STRING, "apache.access.connection_status", src);
            case "i":
                return requestHeader(need(param, src, at), src);
            case "o":
                return responseHeader(need(param, src, at), src);
            case "C":
                return new AccessField(AccessField.STRING, "apache.access.cookie." + key(need(param, src, at)), src);
            case "e":
                return new AccessField(AccessField.STRING, "apache.access.env." + key(need(param, src, at)), src);
            case "n":
                return new AccessField(AccessField.STRING, "apache.access.note." + key(need(param, src, at)), src);
            case "x":
            case "c":
                return ssl(need(param, src, at), src);
            case "^ti":
                return new AccessField(AccessField.STRING, "http.request.trailer." + key(need(param, src, at)), src);
            case "^to":
                return new AccessField(AccessField.STRING, "http.response.trailer." + key(need(param, src, at)), src);
            default:
                throw new IllegalArgumentException("unknown LogFormat directive %" + letter + " at position " + at
                        + " (httpd 2.4 knows %a %A %b %B %C %D %e %f %h %H %i %I %k %l %L %m %n %o %O %p %P %q %r"
                        + " %R %s %S %t %T %u %U %v %V %X %^ti %^to, and mod_ssl's %x %c)");
        }
    }

    private static AccessField time(String param, String src, int at) {
        if (param == null) {
            return new AccessField(AccessField.TIME_CLF_BRACKETED, null, src);
        }
        boolean end = false;
        String f = param;
        if (f.startsWith("begin:")) {
            f = f.substring(6);
        } else if (f.startsWith("end:")) {
            f = f.substring(4);
            end = true;
        }
        try {
            return AccessField.time(Strftime.compile(f), end, src);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LogFormat " + src + " at position " + at + ": " + e.getMessage(), e);
        }
    }

    static AccessField requestHeader(String name, String src) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "referer", "referrer" -> new AccessField(AccessField.REFERRER, null, src);
            case "user-agent" -> new AccessField(AccessField.USER_AGENT, null, src);
            case "x-forwarded-for" -> new AccessField(AccessField.FORWARDED_FOR, null, src);
            case "host" -> new AccessField(AccessField.URL_DOMAIN, null, src);
            case "content-type" -> new AccessField(AccessField.STRING, "http.request.mime_type", src);
            case "x-request-id" -> new AccessField(AccessField.STRING, "http.request.id", src);
            default -> new AccessField(AccessField.STRING, "http.request.header." + key(name), src);
        };
    }

    static AccessField responseHeader(String name, String src) {
        if (name.equalsIgnoreCase("content-type")) {
            return new AccessField(AccessField.STRING, "http.response.mime_type", src);
        }
        return new AccessField(AccessField.STRING, "http.response.header." + key(name), src);
    }

    private static AccessField ssl(String name, String src) {
        return switch (name.toUpperCase(Locale.ROOT)) {
            case "SSL_PROTOCOL" -> new AccessField(AccessField.TLS_PROTOCOL, null, src);
            case "SSL_CIPHER" -> new AccessField(AccessField.STRING, "tls.cipher", src);
            case "SSL_CLIENT_S_DN" -> new AccessField(AccessField.STRING, "tls.client.subject", src);
            case "SSL_TLS_SNI" -> new AccessField(AccessField.STRING, "tls.client.server_name", src);
            default -> new AccessField(AccessField.STRING, "apache.access.ssl." + key(name), src);
        };
    }

    private static String need(String param, String src, int at) {
        if (param == null || param.isEmpty()) {
            throw new IllegalArgumentException("LogFormat " + src + " at position " + at
                    + " needs a name in braces, e.g. %{User-Agent}i");
        }
        return param;
    }

    /**
     * A header or variable name as one segment of a dotted field name: lower case (HTTP names are
     * case-insensitive), and no dots, which would nest it.
     */
    static String key(String name) {
        StringBuilder b = new StringBuilder(name.length());
        for (int i = 0; i < name.length() && b.length() < 64; i++) {
            char c = Character.toLowerCase(name.charAt(i));
            b.append((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ? c : '_');
        }
        return b.length() == 0 ? "_" : b.toString();
    }
}
