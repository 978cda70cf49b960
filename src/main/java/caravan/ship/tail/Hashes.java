package caravan.ship.tail;

/**
 * The 64-bit content hash behind file heads and checkpoint anchors.
 *
 * <p>FNV-1a with a murmur3 finaliser: it only has to tell "the same bytes" from "other bytes" of
 * log files (nobody attacks a checkpoint), and it must be cheap enough to run on the tail of every
 * line read.
 */
final class Hashes {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Hashes() {
    }

    static long hash(byte[] a, int off, int len) {
        long h = FNV_OFFSET;
        for (int i = off, end = off + len; i < end; i++) {
            h ^= a[i] & 0xff;
            h *= FNV_PRIME;
        }
        return fmix(h ^ len);
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    /** Sixteen lower-case hex digits, zero-padded, so that ids and checkpoint files line up. */
    static String hex(long h) {
        String s = Long.toHexString(h);
        return "0".repeat(16 - s.length()) + s;
    }

    static long parseHex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }
}
