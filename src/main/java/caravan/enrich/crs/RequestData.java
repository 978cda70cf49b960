package caravan.enrich.crs;

import caravan.event.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The request as CRS sees it, rebuilt from an access-log event, every value a byte string
 * ({@link Bytes}): the request line and its parts, the query-string arguments (split and decoded
 * as ModSecurity does) and the headers the log records.
 */
final class RequestData {
    /** One value of a collection, named as ModSecurity names it ({@code ARGS:id}); keys compare in lower case. */
    record Var(String collection, String key, String value, String lowerKey) {
        Var(String collection, String key, String value) {
            this(collection, key, value, key == null ? null : key.toLowerCase(Locale.ROOT));
        }

        String name() {
            return key == null ? collection : collection + ":" + key;
        }
    }

    String requestLine;
    String method;
    String protocol;
    String uri;
    String uriRaw;
    String filename;
    String basename;
    String queryString;
    String remoteAddr;
    final List<Var> args = new ArrayList<>();
    /** Header name as it would be sent (User-Agent), value. */
    final List<Var> headers = new ArrayList<>();

    /** @param headerNames the headers the log records, lower-case */
    static RequestData of(LogEvent e, List<String> headerNames) {
        return of(e, headerNames, headerNames.stream().map(RequestData::canonical).toList());
    }

    /**
     * @param headerNames the headers the log records, lower-case
     * @param sentNames   the same names as they would be sent ({@link #canonical}), worked out once by the caller
     */
    static RequestData of(LogEvent e, List<String> headerNames, List<String> sentNames) {
        RequestData r = new RequestData();
        r.remoteAddr = e.sourceIp;
        String target = Bytes.of(e.urlOriginal);
        if (target != null) {
            r.method = e.method;
            r.protocol = e.httpVersion == null ? null : "HTTP/" + e.httpVersion;
            r.requestLine = (e.method == null ? "" : e.method + " ") + target + (r.protocol == null ? "" : " " + r.protocol);
            r.uriRaw = target;
            r.uri = withoutAuthority(target);
            int fragment = r.uri.indexOf('#');
            if (fragment >= 0) {
                // A fragment is no part of the path or the query (REQUEST_URI_RAW keeps it), as in libmodsecurity3.
                r.uri = r.uri.substring(0, fragment);
            }
            int q = r.uri.indexOf('?');
            // The path as the server resolved it: percent-decoded, as ModSecurity and Coraza give it.
            r.filename = Decoders.urlDecode(q < 0 ? r.uri : r.uri.substring(0, q), false, false);
            r.queryString = q < 0 ? null : r.uri.substring(q + 1);
            r.basename = r.filename.substring(r.filename.lastIndexOf('/') + 1);
            if (r.queryString != null) {
                parseArgs(r.queryString, r.args);
            }
        } else if (e.get("caravan.request.invalid") instanceof String invalid) {
            r.requestLine = Bytes.of(invalid);
        }
        for (int i = 0; i < headerNames.size(); i++) {
            String h = headerNames.get(i);
            String v = header(e, h);
            if (v != null) {
                r.headers.add(new Var("REQUEST_HEADERS", sentNames.get(i), Bytes.of(v), h)); // h is lower-case already
            }
        }
        return r;
    }

    private static String header(LogEvent e, String lowerName) {
        return switch (lowerName) {
            case "user-agent" -> e.userAgent;
            case "referer" -> e.referrer;
            case "host" -> {
                Object host = e.get("url.domain");
                Object port = e.get("url.port");
                yield host == null ? null : port == null ? host.toString() : host + ":" + port;
            }
            default -> e.get("http.request.header." + lowerName) instanceof String s ? s : null;
        };
    }

    /** {@code user-agent} as {@code User-Agent}. */
    static String canonical(String lower) {
        StringBuilder b = new StringBuilder(lower.length());
        boolean up = true;
        for (char c : lower.toCharArray()) {
            b.append(up ? Character.toUpperCase(c) : c);
            up = c == '-';
        }
        return b.toString();
    }

    /** {@code http://host/path} as {@code /path}: REQUEST_URI never holds the authority. */
    private static String withoutAuthority(String target) {
        int scheme = target.indexOf("://");
        if (scheme <= 0 || target.startsWith("/")) {
            return target;
        }
        int slash = target.indexOf('/', scheme + 3);
        return slash < 0 ? "/" : target.substring(slash);
    }

    /** Splits at {@code &}, then at the first {@code =}; names and values URL-decoded. */
    static void parseArgs(String query, List<Var> out) {
        int i = 0;
        int n = query.length();
        while (i <= n) {
            int amp = query.indexOf('&', i);
            int end = amp < 0 ? n : amp;
            if (end > i) {
                int eq = query.indexOf('=', i);
                String name;
                String value;
                if (eq < 0 || eq > end) {
                    name = query.substring(i, end);
                    value = "";
                } else {
                    name = query.substring(i, eq);
                    value = query.substring(eq + 1, end);
                }
                out.add(new Var("ARGS", Decoders.urlDecode(name, false), Decoders.urlDecode(value, false)));
            }
            if (amp < 0) {
                break;
            }
            i = amp + 1;
        }
    }

    /** The single value a scalar variable holds, or null. */
    String scalar(String name) {
        return switch (name) {
            case "REQUEST_LINE" -> requestLine;
            case "REQUEST_METHOD" -> method;
            case "REQUEST_PROTOCOL" -> protocol;
            case "REQUEST_URI" -> uri;
            case "REQUEST_URI_RAW" -> uriRaw;
            case "REQUEST_FILENAME" -> filename;
            case "REQUEST_BASENAME" -> basename;
            case "QUERY_STRING" -> queryString;
            case "REMOTE_ADDR" -> remoteAddr;
            case "ARGS_COMBINED_SIZE" -> Integer.toString(argsSize());
            default -> null;
        };
    }

    private int argsSize() {
        int size = 0;
        for (Var a : args) {
            size += a.key().length() + a.value().length();
        }
        return size;
    }

    /** A header's value by lower-case name, or null. */
    String header(String lowerName) {
        for (Var h : headers) {
            if (h.lowerKey().equals(lowerName)) {
                return h.value();
            }
        }
        return null;
    }
}
