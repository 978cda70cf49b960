package caravan.enrich.geo;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP literals without DNS, and which of them are worth a GeoIP lookup.
 *
 * <p>{@link InetAddress#getByName} would resolve anything that is not a literal, so a hostname in
 * {@code source.ip} (a misconfigured {@code HostnameLookups On}) would cost a DNS query per event:
 * IPv4 is parsed here, and only strings made of IPv6 characters reach the JDK's parser, which
 * never resolves those.
 */
public final class IpAddresses {
    private IpAddresses() {
    }

    /** The address for an IPv4 or IPv6 literal, or null for anything else (never a DNS lookup). */
    public static InetAddress parse(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return null;
        }
        if (s.indexOf(':') < 0) {
            byte[] v4 = ipv4(s);
            return v4 == null ? null : byAddress(v4);
        }
        String literal = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        int zone = literal.indexOf('%');
        if (zone >= 0) {
            literal = literal.substring(0, zone);
        }
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (!(c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                return null;
            }
        }
        try {
            return InetAddress.getByName(literal); // a ':' makes it an IPv6 literal: no lookup
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static byte[] ipv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= s.length(); i++) {
            char c = i < s.length() ? s.charAt(i) : '.';
            if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else if (c == '.' && value >= 0 && part < 4) {
                out[part++] = (byte) value;
                value = -1;
            } else {
                return null;
            }
        }
        return part == 4 ? out : null;
    }

    private static InetAddress byAddress(byte[] b) {
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length
        }
    }

    /**
     * Whether a GeoIP database could know the address: false for private, loopback, link-local,
     * carrier-grade NAT, documentation, benchmarking, multicast and reserved ranges (and IPv6's
     * unique-local and mapped forms of those).
     */
    public static boolean isPublic(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) {
            return isPublicV4(b);
        }
        if (a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress() || a.isMulticastAddress()
                || a.isAnyLocalAddress()) {
            return false;
        }
        int first = b[0] & 0xff;
        if ((first & 0xfe) == 0xfc) {
            return false; // fc00::/7 unique local
        }
        if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
            return false; // 2001:db8::/32 documentation
        }
        boolean zeroPrefix = true;
        for (int i = 0; i < 10; i++) {
            zeroPrefix &= b[i] == 0;
        }
        if (zeroPrefix && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff) {
            return isPublicV4(new byte[] {b[12], b[13], b[14], b[15]}); // ::ffff:a.b.c.d
        }
        return !zeroPrefix; // :: , ::1 and the deprecated IPv4-compatible range
    }

    private static boolean isPublicV4(byte[] b) {
        int o1 = b[0] & 0xff;
        int o2 = b[1] & 0xff;
        int o3 = b[2] & 0xff;
        return !(o1 == 0 || o1 == 10 || o1 == 127 || o1 >= 224                  // this net, private, loopback, multicast, reserved
                || (o1 == 100 && o2 >= 64 && o2 <= 127)                          // 100.64/10 carrier-grade NAT
                || (o1 == 169 && o2 == 254)                                      // link-local
                || (o1 == 172 && o2 >= 16 && o2 <= 31)                           // private
                || (o1 == 192 && o2 == 168)                                      // private
                || (o1 == 192 && o2 == 0 && (o3 == 0 || o3 == 2))                // IETF protocol, TEST-NET-1
                || (o1 == 198 && (o2 == 18 || o2 == 19))                         // benchmarking
                || (o1 == 198 && o2 == 51 && o3 == 100)                          // TEST-NET-2
                || (o1 == 203 && o2 == 0 && o3 == 113));                         // TEST-NET-3
    }
}
