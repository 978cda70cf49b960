package caravan.enrich.crs.libinjection;

/** Byte helpers: libinjection works on bytes and folds case for ASCII letters only. */
final class Ascii {
    private Ascii() {
    }

    static char upper(byte b) {
        int c = b & 0xff;
        return (char) (c >= 'a' && c <= 'z' ? c - 0x20 : c);
    }

    static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    static boolean isLetter(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    /** A 256-entry membership table for the given characters. */
    static boolean[] set(String chars) {
        boolean[] set = new boolean[256];
        for (int i = 0; i < chars.length(); i++) {
            set[chars.charAt(i) & 0xff] = true;
        }
        return set;
    }

    /** Index of the first {@code c} in {@code s[from, to)}, or -1. */
    static int indexOf(byte[] s, int from, int to, byte c) {
        for (int i = Math.max(from, 0); i < to; i++) {
            if (s[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the first pair {@code c0 c1} lying wholly inside {@code s[from, to)}, or -1. */
    static int indexOfPair(byte[] s, int from, int to, byte c0, byte c1) {
        for (int i = Math.max(from, 0); i + 1 < to; i++) {
            if (s[i] == c0 && s[i + 1] == c1) {
                return i;
            }
        }
        return -1;
    }

    /** Length of the run at {@code from} of bytes in {@code set}. */
    static int span(byte[] s, int from, int to, boolean[] set) {
        int i = from;
        while (i < to && set[s[i] & 0xff]) {
            i++;
        }
        return i - from;
    }
}
