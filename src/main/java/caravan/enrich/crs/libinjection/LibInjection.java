package caravan.enrich.crs.libinjection;

import java.nio.charset.StandardCharsets;

/**
 * SQL injection and XSS detection after libinjection (Nick Galbreath's algorithm, with its data:
 * keyword table and fingerprint list, BSD-3-Clause, see COPYING next to the data), for CRS's
 * {@code @detectSQLi} and {@code @detectXSS}.
 *
 * <p>libinjection works on bytes. Strings are encoded as UTF-8, which gives libinjection the bytes
 * ModSecurity would see for UTF-8 input; callers holding raw bytes use the byte overloads. Every
 * call is linear in the input's length, allocates a few small objects, and is thread-safe. A null
 * input is neither SQLi nor XSS.
 */
public final class LibInjection {
    private LibInjection() {
    }

    public static boolean isSqli(String s) {
        return sqliFingerprint(s) != null;
    }

    /** The SQLi fingerprint (e.g. "s&1UE"), or null when the input is not SQL injection. */
    public static String sqliFingerprint(String s) {
        return sqliFingerprint(bytes(s));
    }

    public static boolean isXss(String s) {
        return isXss(bytes(s));
    }

    public static boolean isSqli(byte[] s) {
        return sqliFingerprint(s) != null;
    }

    public static String sqliFingerprint(byte[] s) {
        return s == null ? null : new SqliDetector(s).detect();
    }

    public static boolean isXss(byte[] s) {
        return s != null && XssDetector.isXss(s);
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
