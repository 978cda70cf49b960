package caravan.parse;

import caravan.event.LogEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP pieces that Apache and nginx write the same way: request line, target URL, Host header,
 * status, byte counts. Shared by both compilers and by nothing else.
 */
final class Http {
    /**
     * Longest value kept in one field. Elasticsearch refuses a keyword term over 32,766 UTF-8 bytes and
     * with it the whole document; 8,191 characters stay under that whatever the characters are.
     */
    static final int MAX_FIELD = 8191;

    private Http() {
    }

    /**
     * {@code METHOD target HTTP/x.y} in {@code s[from, to)}. A request that is not of that shape
     * ({@code -} for a 408, TLS bytes sent to a plain port, a bare word) is real traffic: what can be
     * read is kept and the rest goes to {@code caravan.request.invalid}; it never fails the line.
     */
    static void request(String s, int from, int to, LogEvent e, Scan scan) {
        if (from >= to || (to - from == 1 && s.charAt(from) == '-')) {
            return;
        }
        if (scan.hasEscape(s, from, to)) {
            String d = Escapes.decode(s, from, to);
            parseRequest(d, 0, d.length(), e, scan);
        } else {
            parseRequest(s, from, to, e, scan);
        }
    }

    private static void parseRequest(String s, int from, int to, LogEvent e, Scan scan) {
        int sp1 = s.indexOf(' ', from);
        if (sp1 < 0 || sp1 >= to || !isToken(s, from, sp1)) {
            e.put("caravan.request.invalid", scan.clip(s, from, to));
            return;
        }
        e.method = method(s, from, sp1);
        int sp2 = s.lastIndexOf(' ', to - 1);
        int targetEnd = to;
        if (sp2 > sp1 && s.startsWith("HTTP/", sp2 + 1) && sp2 + 6 < to) {
            e.httpVersion = version(s, sp2 + 6, to);
            targetEnd = sp2;
        }
        target(s, sp1 + 1, targetEnd, e, scan);
    }

    /** A request target: origin form {@code /p?q}, absolute form {@code http://h/p?q}, or anything else. */
    static void target(String s, int from, int to, LogEvent e, Scan scan) {
        if (from >= to) {
            return;
        }
        String original = scan.clip(s, from, to);
        e.urlOriginal = original;
        if (original.length() != to - from) {
            return; // truncated: a path cut mid-way would be a lie
        }
        int pathStart = from;
        if (s.charAt(from) != '/') {
            int colon = s.indexOf("://", from);
            if (colon <= from || colon >= to || !isScheme(s, from, colon)) {
                return; // '*', CONNECT's host:port, junk: only url.original is honest
            }
            e.put("url.scheme", s.substring(from, colon));
            int authority = colon + 3;
            int slash = authority;
            while (slash < to && s.charAt(slash) != '/' && s.charAt(slash) != '?') {
                slash++;
            }
            hostPort(s, authority, slash, "url.domain", "url.port", e);
            if (slash == to) {
                return;
            }
            pathStart = slash;
        }
        int q = s.indexOf('?', pathStart);
        if (q < 0 || q >= to) {
            e.urlPath = pathStart == from ? original : s.substring(pathStart, to);
        } else {
            if (q > pathStart) {
                e.urlPath = s.substring(pathStart, q);
            }
            if (q + 1 < to) {
                e.urlQuery = s.substring(q + 1, to);
            }
        }
    }

    /**
     * {@code host}, {@code host:port}, {@code [v6]:port} into a domain (or IP) field and a port field;
     * a malformed port is dropped rather than guessed.
     */
    static void hostPort(String s, int from, int to, String domainField, String portField, LogEvent e) {
        int at = s.lastIndexOf('@', to - 1); // userinfo@host
        if (at >= from) {
            from = at + 1;
        }
        if (from >= to) {
            return;
        }
        int hostEnd = to;
        int portStart = -1;
        if (s.charAt(from) == '[') {
            int close = s.indexOf(']', from);
            if (close < 0 || close >= to) {
                return;
            }
            if (close + 1 < to && s.charAt(close + 1) == ':') {
                portStart = close + 2;
            }
            from++;
            hostEnd = close;
        } else {
            int colon = s.indexOf(':', from);
            if (colon >= 0 && colon < to) {
                if (s.indexOf(':', colon + 1) >= 0 && s.indexOf(':', colon + 1) < to) {
                    hostEnd = to; // bare IPv6, no port
                } else {
                    hostEnd = colon;
                    portStart = colon + 1;
                }
            }
        }
        if (hostEnd > from && hostEnd - from <= 253) {
            e.put(domainField, s.substring(from, hostEnd));
        }
        if (portStart > 0 && portStart < to) {
            long port = number(s, portStart, to);
            if (port >= 0 && port <= 65_535) {
                e.put(portField, port);
            }
        }
    }

    /** A non-negative decimal of up to 18 digits, or -1. */
    static long number(String s, int from, int to) {
        if (from >= to || to - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String method(String s, int from, int to) {
        int n = to - from;
        if (n == 3 && s.startsWith("GET", from)) {
            return "GET";
        }
        if (n == 4 && s.startsWith("POST", from)) {
            return "POST";
        }
        if (n == 4 && s.startsWith("HEAD", from)) {
            return "HEAD";
        }
        if (n == 3 && s.startsWith("PUT", from)) {
            return "PUT";
        }
        if (n == 7 && s.startsWith("OPTIONS", from)) {
            return "OPTIONS";
        }
        if (n == 6 && s.startsWith("DELETE", from)) {
            return "DELETE";
        }
        return s.substring(from, to);
    }

    /** {@code http.version}: what follows {@code HTTP/}, with the usual values shared, not copied. */
    static String version(String s, int from, int to) {
        int n = to - from;
        if (n == 3 && s.charAt(from + 1) == '.') {
            char a = s.charAt(from);
            char b = s.charAt(from + 2);
            if (a == '1' && b == '1') {
                return "1.1";
            }
            if (a == '1' && b == '0') {
                return "1.0";
            }
            if (a == '2' && b == '0') {
                return "2.0";
            }
        } else if (n == 1 && s.charAt(from) == '2') {
            return "2";
        }
        return n > 16 ? s.substring(from, from + 16) : s.substring(from, to);
    }

    /** An HTTP token (RFC 9110 tchar), at most 32 characters: what a method can be. */
    static boolean isToken(String s, int from, int to) {
        if (from >= to || to - from > 32) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static boolean isScheme(String s, int from, int to) {
        if (to - from > 16) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > from && ((c >= '0' && c <= '9')
                    || c == '+' || c == '-' || c == '.')))) {
                return false;
            }
        }
        return true;
    }

    /** {@code source.ip} when the value is an IP, else {@code source.domain} or {@code source.address}. */
    static void sourceHost(String v, LogEvent e) {
        if (Ips.isIp(v)) {
            e.sourceIp = v;
        } else if (v.length() > 2 && v.charAt(0) == '[' && v.charAt(v.length() - 1) == ']'
                && Ips.isIp(v, 1, v.length() - 1)) {
            e.sourceIp = v.substring(1, v.length() - 1);
        } else if (Ips.isHostName(v)) {
            e.put("source.domain", v);
        } else {
            e.put("source.address", v);
        }
    }

    /**
     * A request that crossed proxies: the {@code X-Forwarded-For} entries, then the peer (or a peer
     * field that already holds the list). {@link ProxyChain} picks the client, which becomes
     * {@code source.ip} and {@code client.ip}, so GeoIP and per-IP rules see it rather than the load
     * balancer; the whole chain stays in {@code network.forwarded_ip}. A header with no address in
     * it changes nothing.
     */
    static void proxyChain(String forwardedFor, String peerList, LogEvent e) {
        if (forwardedFor == null && peerList == null) {
            return;
        }
        List<String> chain = forwardedFor == null ? new ArrayList<>(4) : ProxyChain.addresses(forwardedFor);
        if (peerList != null) {
            chain.addAll(ProxyChain.addresses(peerList));
        } else if (e.sourceIp != null) {
            chain.add(e.sourceIp);
        }
        if (chain.isEmpty() || (peerList == null && chain.size() == 1 && forwardedFor != null
                && e.sourceIp != null)) {
            if (peerList != null) {
                // No address in the list: its leftmost entry (a name such as "localhost", or "unix:")
                // is the source, as written; names have no place in the ip-typed forwarded_ip.
                int comma = peerList.indexOf(',');
                sourceHost(comma < 0 ? peerList : peerList.substring(0, comma).trim(), e);
            }
            return; // the header held no address
        }
        String client = ProxyChain.client(chain);
        e.sourceIp = client;
        e.put("client.ip", client);
        e.put("network.forwarded_ip", chain);
    }

    /**
     * {@code url.extension}: what follows the last dot of the path's last segment, as ECS has it
     * ({@code gz} of {@code a.tar.gz}); none for a segment without a dot or ending in one.
     */
    static void urlExtension(LogEvent e) {
        String p = e.urlPath;
        if (p == null) {
            return;
        }
        int dot = p.lastIndexOf('.');
        if (dot > p.lastIndexOf('/') && dot + 1 < p.length()) {
            e.urlExtension = p.substring(dot + 1);
        }
    }

    /**
     * {@code related.ip}: the addresses of both ends (source, destination, a Host given as an
     * address), each once, so one search on an address finds the event whichever side it was on.
     */
    static void relatedIps(LogEvent e) {
        boolean noOthers = e.fields().isEmpty(); // the usual line: no map lookups at all
        Object dst = noOthers ? null : e.get("destination.ip");
        Object srv = noOthers ? null : e.get("server.ip");
        Object host = noOthers ? null : e.get("url.domain");
        if (dst == null && srv == null && host == null) {
            // Only the client, already checked as an address by sourceHost or proxyChain, so no
            // list to build and no second check.
            if (e.sourceIp != null) {
                e.relatedIp = List.of(e.sourceIp);
            }
            return;
        }
        List<String> ips = new ArrayList<>(2);
        for (Object ip : new Object[] {e.sourceIp, dst, srv, host}) {
            if (ip instanceof String s && Ips.isIp(s) && !ips.contains(s)) {
                ips.add(s);
            }
        }
        if (!ips.isEmpty()) {
            e.relatedIp = ips;
        }
    }

    /** {@code TLSv1.2} into {@code tls.version_protocol=tls}, {@code tls.version=1.2}. */
    static void tlsProtocol(String v, LogEvent e) {
        int d = 0;
        while (d < v.length() && !(v.charAt(d) >= '0' && v.charAt(d) <= '9')) {
            d++;
        }
        int nameEnd = d > 0 && d < v.length() && (v.charAt(d - 1) == 'v' || v.charAt(d - 1) == 'V') ? d - 1 : d;
        if (nameEnd > 0) {
            e.put("tls.version_protocol", v.substring(0, nameEnd).toLowerCase(java.util.Locale.ROOT));
        }
        if (d < v.length()) {
            e.put("tls.version", v.substring(d));
        }
    }
}
