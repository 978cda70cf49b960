package caravan.ship.tail;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The 64-bit content hashes behind file heads, file ids and checkpoint anchors. They only have to
 * tell "the same bytes" from "other bytes" of log files (nobody attacks a checkpoint).
 *
 * <p>{@link #hash} is FNV-1a with a murmur3 finaliser: heads, file ids (shipped in every document
 * id, so it never changes) and the anchors of version 1 checkpoint files. {@link #anchor} runs on
 * the last 64 bytes of every line read, so it takes eight bytes a step: at the shipper's C1-only
 * JIT it costs 15 ns where FNV-1a's byte steps cost 81 (BENCHMARKS.md, "The shipper's reader thread, session 32").
 */
final class Hashes {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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

    /** The anchor hash of checkpoint version 2: FNV-1a's steps over little-endian words, each stirred, then the bytes left. */
    static long anchor(byte[] a, int off, int len) {
        long h = FNV_OFFSET;
        int i = off;
        for (int end = off + len - 7; i < end; i += 8) {
            h = (h ^ (long) LONGS.get(a, i)) * FNV_PRIME;
            h ^= h >>> 29;
        }
        for (int end = off + len; i < end; i++) {
            h = (h ^ (a[i] & 0xff)) * FNV_PRIME;
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
