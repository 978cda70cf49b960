package caravan.enrich.crs.libinjection;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * libinjection's data: the SQL keyword table (word to token type) and the set of SQLi fingerprints,
 * both read once from the resources next to this class. Lookups are ASCII case-insensitive on a byte
 * range and allocate nothing: an open-addressing table of upper-cased keys.
 */
final class SqlKeywords {
    private static final ByteTable KEYWORDS = new ByteTable(2048);
    private static final ByteTable FINGERPRINTS = new ByteTable(32768);

    static {
        read("sqli-keywords.tsv", (word, type) -> KEYWORDS.put(word, SqlTokenType.ofCode(type.charAt(0))));
        // The fingerprint list is matched upper-cased, as libinjection does (so 't' and 'T' coincide).
        read("sqli-fingerprints.txt", (fp, unused) -> FINGERPRINTS.put(fp, SqlTokenType.NONE));
    }

    private SqlKeywords() {
    }

    /** The token type of the word {@code s[from, from+len)}, or null if it is no keyword. */
    static SqlTokenType lookup(byte[] s, int from, int len) {
        return KEYWORDS.get(s, from, len);
    }

    static boolean isFingerprint(String fingerprint) {
        byte[] b = fingerprint.getBytes(StandardCharsets.ISO_8859_1);
        return FINGERPRINTS.get(b, 0, b.length) != null;
    }

    private static void read(String name, BiConsumer<String, String> sink) {
        try (InputStream in = SqlKeywords.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("libinjection data " + name + " missing from the classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                sink.accept(tab < 0 ? line : line.substring(0, tab), tab < 0 ? "" : line.substring(tab + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read libinjection data " + name, e);
        }
    }

    /** Open addressing over upper-cased byte keys; capacity is a power of two well above the size. */
    private static final class ByteTable {
        private final byte[][] keys;
        private final SqlTokenType[] values;
        private final int mask;

        ByteTable(int capacity) {
            keys = new byte[capacity][];
            values = new SqlTokenType[capacity];
            mask = capacity - 1;
        }

        void put(String key, SqlTokenType value) {
            byte[] k = key.getBytes(StandardCharsets.ISO_8859_1);
            for (int i = 0; i < k.length; i++) {
                k[i] = (byte) Ascii.upper(k[i]);
            }
            int slot = hash(k, 0, k.length) & mask;
            while (keys[slot] != null) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = k;
            values[slot] = value;
        }

        SqlTokenType get(byte[] s, int from, int len) {
            int slot = hash(s, from, len) & mask;
            for (byte[] k = keys[slot]; k != null; k = keys[slot]) {
                if (matches(k, s, from, len)) {
                    return values[slot];
                }
                slot = (slot + 1) & mask;
            }
            return null;
        }

        private static boolean matches(byte[] key, byte[] s, int from, int len) {
            if (key.length != len) {
                return false;
            }
            for (int i = 0; i < len; i++) {
                if (key[i] != (byte) Ascii.upper(s[from + i])) {
                    return false;
                }
            }
            return true;
        }

        private static int hash(byte[] s, int from, int len) {
            int h = len;
            for (int i = 0; i < len; i++) {
                h = 31 * h + Ascii.upper(s[from + i]);
            }
            return h ^ (h >>> 15);
        }
    }
}
