package caravan.parse;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which address of a proxy chain is the client.
 *
 * <p>A request that crossed proxies leaves a chain: the {@code X-Forwarded-For} entries, left to
 * right in the order the proxies appended them, then the peer that connected to the server (or a
 * {@code $remote_addr}/{@code %h} already rewritten to such a list). With trusted proxies configured
 * ({@code caravan.parse.trusted-proxies}, CIDRs), the client is the first address from the right
 * that is not one of them: entries left of it could have been written by the client itself. With no
 * list, the first public address, as Filebeat does; with none public, the leftmost.
 *
 * <p>The trusted list is process-wide, like the named formats, and set once at start-up.
 */
public final class ProxyChain {
    private static volatile List<Cidr> trusted = List.of();

    private ProxyChain() {
    }

    /**
     * Sets the trusted proxies (comma-separated CIDRs or single addresses; empty: none).
     *
     * @throws IllegalArgumentException naming the entry that is not a CIDR
     */
    public static void trust(String cidrs) {
        trusted = parse(cidrs);
    }

    static List<Cidr> parse(String cidrs) {
        List<Cidr> out = new ArrayList<>();
        if (cidrs == null) {
            return out;
        }
        for (String raw : cidrs.split(",")) {
            String c = raw.trim();
            if (!c.isEmpty()) {
                out.add(Cidr.of(c));
            }
        }
        return List.copyOf(out);
    }

    /** The valid IP addresses of a list split at commas and spaces, in order; anything else is skipped. */
    static List<String> addresses(String list) {
        List<String> out = new ArrayList<>(4);
        int from = 0;
        while (from <= list.length()) {
            int comma = from;
            while (comma < list.length() && list.charAt(comma) != ',' && list.charAt(comma) != ' ') {
                comma++;
            }
            int to = comma;
            if (comma == list.length()) {
                comma = -1;
            }
            String a = list.substring(from, to).trim();
            if (a.length() > 2 && a.charAt(0) == '[' && a.charAt(a.length() - 1) == ']') {
                a = a.substring(1, a.length() - 1);
            }
            if (Ips.isIp(a)) {
                out.add(a);
            }
            if (comma < 0 || out.size() >= 64) {
                break; // a chain longer than any real one is a forged header: the rest says nothing more
            }
            from = comma + 1;
        }
        return out;
    }

    /** The client of a chain of valid addresses (left to right), or null for an empty chain. */
    static String client(List<String> chain) {
        if (chain.isEmpty()) {
            return null;
        }
        List<Cidr> t = trusted;
        if (!t.isEmpty()) {
            for (int i = chain.size() - 1; i >= 0; i--) {
                if (!contains(t, chain.get(i))) {
                    return chain.get(i);
                }
            }
            return chain.get(0); // every hop trusted: the origin is the leftmost
        }
        for (String a : chain) {
            if (isPublic(a)) {
                return a;
            }
        }
        return chain.get(0);
    }

    private static boolean contains(List<Cidr> cidrs, String ip) {
        byte[] b = bytes(ip);
        for (Cidr c : cidrs) {
            if (c.contains(b)) {
                return true;
            }
        }
        return false;
    }

    /** Not loopback, private (RFC 1918, RFC 4193), link-local, shared (RFC 6598) or unspecified. */
    static boolean isPublic(String ip) {
        byte[] b = bytes(ip);
        try {
            InetAddress a = InetAddress.getByAddress(b);
            if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()) {
                return false;
            }
        } catch (UnknownHostException e) {
            return false;
        }
        if (b.length == 4) {
            return !((b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64);
        }
        return (b[0] & 0xfe) != 0xfc;
    }

    /** The bytes of an address that {@link Ips#isIp} accepted: a literal, so nothing is resolved. */
    static byte[] bytes(String ip) {
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();
            if (b.length == 16 && isMappedV4(b)) {
                return new byte[] {b[12], b[13], b[14], b[15]};
            }
            return b;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + ip + "' is not an IP address", e);
        }
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    /** An address block: {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or one address. */
    record Cidr(byte[] prefix, int bits) {
        static Cidr of(String s) {
            int slash = s.indexOf('/');
            String ip = slash < 0 ? s : s.substring(0, slash);
            if (!Ips.isIp(ip)) {
                throw new IllegalArgumentException("caravan.parse.trusted-proxies: '" + s
                        + "' is not a CIDR (e.g. 10.0.0.0/8, 2001:db8::/32) or an IP address");
            }
            byte[] b = bytes(ip);
            int bits = b.length * 8;
            if (slash >= 0) {
                long n = Http.number(s, slash + 1, s.length());
                if (n < 0 || n > bits) {
                    throw new IllegalArgumentException("caravan.parse.trusted-proxies: '" + s
                            + "' has a prefix length outside 0.." + bits);
                }
                bits = (int) n;
            }
            return new Cidr(b, bits);
        }

        boolean contains(byte[] a) {
            if (a.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (prefix[full] & mask);
        }
    }
}
