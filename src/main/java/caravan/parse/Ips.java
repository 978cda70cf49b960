package caravan.parse;

/**
 * Strict IPv4/IPv6 literal checks.
 *
 * <p>Elasticsearch rejects the whole document when an {@code ip} field holds something else, so a
 * value only goes to {@code source.ip} and friends after passing here; anything else is kept as an
 * address or domain. Hand-written because {@code InetAddress.getByName} would resolve host names.
 */
final class Ips {
    private Ips() {
    }

    static boolean isIp(String s) {
        return s != null && isIp(s, 0, s.length());
    }

    static boolean isIp(String s, int from, int to) {
        if (to - from < 2 || to - from > 45) {
            return false;
        }
        // IPv4 first: it is what almost every access log line holds, and it fails fast on a ':'.
        return isIpv4(s, from, to) || (s.indexOf(':', from) >= 0 && s.indexOf(':', from) < to && isIpv6(s, from, to));
    }

    static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (i < to) {
            int start = i;
            int value = 0;
            char c;
            while (i < to && (c = s.charAt(i)) >= '0' && c <= '9') {
                value = value * 10 + (c - '0');
                i++;
            }
            int digits = i - start;
            // Leading zeros are refused: some parsers read them as octal, Elasticsearch rejects them.
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return false;
            }
            if (++parts == 4) {
                return i == to;
            }
            if (i == to || s.charAt(i) != '.') {
                return false;
            }
            i++;
        }
        return false;
    }

    static boolean isIpv6(String s, int from, int to) {
        int groups = 0;
        boolean compressed = false;
        int i = from;
        if (to - from >= 2 && s.charAt(i) == ':' && s.charAt(i + 1) == ':') {
            compressed = true;
            i += 2;
            if (i == to) {
                return true; // "::"
            }
        } else if (s.charAt(i) == ':') {
            return false;
        }
        while (i < to) {
            int start = i;
            while (i < to && hex(s.charAt(i))) {
                i++;
            }
            int len = i - start;
            if (i < to && s.charAt(i) == '.') {
                // Embedded IPv4 tail (::ffff:1.2.3.4): counts as two groups and ends the address.
                return isIpv4(s, start, to) && (compressed ? groups + 2 <= 7 : groups + 2 == 8);
            }
            if (len == 0 || len > 4) {
                return false;
            }
            groups++;
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return false;
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                i++;
                if (i == to) {
                    break;
                }
            } else if (i == to) {
                return false; // trailing single ':'
            }
        }
        return compressed ? groups <= 7 : groups == 8;
    }

    private static boolean hex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    /** A plausible DNS name (letters, digits, '-', '_', '.'), so it can go to a {@code *.domain} field. */
    static boolean isHostName(String s) {
        if (s.isEmpty() || s.length() > 253) {
            return false;
        }
        boolean letter = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
                letter = true;
            } else if (!((c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
                return false;
            }
        }
        return letter;
    }
}
