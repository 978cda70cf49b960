package caravan.parse;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Compiles an nginx {@code log_format} into an {@link AccessLogParser}.
 *
 * <p>Accepts the format bare ({@code $remote_addr - $remote_user [$time_local] ...}), as nginx.conf
 * writes it (one or more quoted strings, concatenated), or as the whole directive
 * ({@code log_format main escape=json '...' '...';}). Variables are {@code $name} or {@code ${name}}.
 * Variables with an ECS home go there; {@code $http_*}/{@code $sent_http_*} become request/response
 * headers; every other variable is kept as {@code nginx.<name>}. All escape modes read back: the
 * decoder takes nginx's {@code \xHH} and JSON escapes alike.
 */
final class NginxLogFormat {
    static final String COMBINED = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent"
            + " \"$http_referer\" \"$http_user_agent\"";
    /** The {@code main} format of the stock nginx.conf. */
    static final String MAIN = "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent"
            + " \"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\"";

    private NginxLogFormat() {
    }

    /** @throws IllegalArgumentException naming what is wrong and where */
    static AccessLogParser compile(String spec, String dataset, ZoneId zone) {
        String fmt = unwrap(spec.trim());
        if (fmt.isEmpty()) {
            throw new IllegalArgumentException("empty log_format");
        }
        List<Object> elements = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        int i = 0;
        while (i < fmt.length()) {
            char c = fmt.charAt(i);
            int nameStart;
            int nameEnd;
            int next;
            if (c == '$' && i + 1 < fmt.length() && fmt.charAt(i + 1) == '{') {
                int close = fmt.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException("log_format: '${' at position " + i + " is never closed");
                }
                nameStart = i + 2;
                nameEnd = close;
                next = close + 1;
            } else if (c == '$' && i + 1 < fmt.length() && nameChar(fmt.charAt(i + 1))) {
                nameStart = i + 1;
                nameEnd = nameStart;
                while (nameEnd < fmt.length() && nameChar(fmt.charAt(nameEnd))) {
                    nameEnd++;
                }
                next = nameEnd;
            } else {
                lit.append(c);
                i++;
                continue;
            }
            String name = fmt.substring(nameStart, nameEnd);
            if (name.isEmpty() || !name.chars().allMatch(ch -> nameChar((char) ch))) {
                throw new IllegalArgumentException("log_format: '" + fmt.substring(i, next) + "' at position " + i
                        + " is not a variable name (letters, digits, '_')");
            }
            if (lit.length() > 0) {
                elements.add(lit.toString());
                lit.setLength(0);
            }
            elements.add(variable(name.toLowerCase(Locale.ROOT), "$" + name));
            i = next;
        }
        if (lit.length() > 0) {
            elements.add(lit.toString());
        }
        if (elements.stream().noneMatch(e -> e instanceof AccessField)) {
            throw new IllegalArgumentException("log_format '" + fmt + "' has no $variable: nothing to read");
        }
        return new AccessLogParser(dataset, fmt, elements, zone);
    }

    private static boolean nameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    /**
     * The format proper from a directive or a run of quoted strings. A bare format may itself start
     * with a double quote ({@code "$http_x_forwarded_for" $remote_addr ...}): when such an input is not
     * a directive and does not read as quoted strings only, it is taken as written. nginx.conf quotes
     * with {@code '} by habit, so a single-quoted input is always read as quoted strings.
     */
    static String unwrap(String s) {
        boolean directive = s.startsWith("log_format ") || s.startsWith("log_format\t");
        if (directive) {
            s = afterWord(s.substring(11).trim()); // the format's name
        }
        if (s.startsWith("escape=")) {
            s = afterWord(s);
        }
        if (s.isEmpty() || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
            return s;
        }
        String body = s.endsWith(";") ? s.substring(0, s.length() - 1).trim() : s;
        try {
            return concatenate(body);
        } catch (IllegalArgumentException e) {
            if (directive || s.charAt(0) == '\'') {
                throw e;
            }
            return s;
        }
    }

    private static String afterWord(String s) {
        int sp = 0;
        while (sp < s.length() && !Character.isWhitespace(s.charAt(sp))) {
            sp++;
        }
        return s.substring(sp).trim();
    }

    /** Quoted strings, concatenated as nginx does; a backslash escapes the next character. */
    private static String concatenate(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char q = s.charAt(i);
            if (Character.isWhitespace(q)) {
                i++;
                continue;
            }
            if (q != '\'' && q != '"') {
                throw new IllegalArgumentException("log_format: text outside quotes at position " + i + ": '"
                        + s.substring(i, Math.min(s.length(), i + 20)) + "'");
            }
            i++;
            boolean closed = false;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char n = s.charAt(i + 1);
                    out.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
                    i += 2;
                } else if (c == q) {
                    closed = true;
                    i++;
                    break;
                } else {
                    out.append(c);
                    i++;
                }
            }
            if (!closed) {
                throw new IllegalArgumentException("log_format: a " + q + "-quoted string is never closed");
            }
        }
        return out.toString();
    }

    private static AccessField variable(String name, String src) {
        switch (name) {
            case "remote_addr":
                return new AccessField(AccessField.SOURCE_HOST, null, src);
            case "remote_port":
                return new AccessField(AccessField.SOURCE_PORT, null, src);
            case "remote_user":
                return new AccessField(AccessField.USER, null, src);
            case "time_local":
                return new AccessField(AccessField.TIME_CLF, null, src);
            case "time_iso8601":
                return new AccessField(AccessField.TIME_ISO, null, src);
            case "msec":
                return new AccessField(AccessField.TIME_EPOCH_DECIMAL, null, src);
            case "request":
                return new AccessField(AccessField.REQUEST, null, src);
            case "request_method":
                return new AccessField(AccessField.METHOD, null, src);
            case "request_uri":
                return new AccessField(AccessField.URI, null, src);
            case "uri":
            case "document_uri":
                return new AccessField(AccessField.URL_PATH, null, src);
            case "args":
            case "query_string":
                return new AccessField(AccessField.QUERY, null, src);
            case "server_protocol":
                return new AccessField(AccessField.PROTOCOL, null, src);
            case "status":
                return new AccessField(AccessField.STATUS, null, src);
            case "body_bytes_sent":
                return new AccessField(AccessField.BODY_BYTES, null, src);
            case "bytes_sent":
                return new AccessField(AccessField.RESPONSE_BYTES, null, src);
            case "request_length":
                return new AccessField(AccessField.REQUEST_BYTES, null, src);
            case "request_time":
                return AccessField.duration(1_000_000_000L, src);
            case "upstream_response_time":
            case "upstream_connect_time":
            case "upstream_header_time":
                return new AccessField(AccessField.SECONDS_SUM, "nginx." + name, src);
            case "host":
                return new AccessField(AccessField.URL_DOMAIN, null, src);
            case "server_name":
                return new AccessField(AccessField.DEST_DOMAIN, null, src);
            case "server_port":
                return new AccessField(AccessField.SERVER_PORT, null, src);
            case "server_addr":
                return new AccessField(AccessField.IP, "server.ip", src);
            case "scheme":
                return new AccessField(AccessField.STRING, "url.scheme", src);
            case "connection":
            case "connection_requests":
                return new AccessField(AccessField.LONG, "nginx." + name, src);
            case "pid":
                return new AccessField(AccessField.LONG, "process.pid", src);
            case "hostname":
                return new AccessField(AccessField.STRING, "host.hostname", src);
            case "request_id":
                return new AccessField(AccessField.STRING, "http.request.id", src);
            case "request_body":
                return new AccessField(AccessField.STRING, "http.request.body.content", src);
            case "content_type":
                return new AccessField(AccessField.STRING, "http.request.mime_type", src);
            case "content_length":
                return new AccessField(AccessField.LONG, "http.request.body.bytes", src);
            case "ssl_protocol":
                return new AccessField(AccessField.TLS_PROTOCOL, null, src);
            case "ssl_cipher":
                return new AccessField(AccessField.STRING, "tls.cipher", src);
            case "ssl_server_name":
                return new AccessField(AccessField.STRING, "tls.client.server_name", src);
            default:
                if (name.startsWith("http_") && name.length() > 5) {
                    return ApacheLogFormat.requestHeader(name.substring(5).replace('_', '-'), src);
                }
                if (name.startsWith("sent_http_") && name.length() > 10) {
                    return ApacheLogFormat.responseHeader(name.substring(10).replace('_', '-'), src);
                }
                return new AccessField(AccessField.STRING, "nginx." + ApacheLogFormat.key(name), src);
        }
    }
}
