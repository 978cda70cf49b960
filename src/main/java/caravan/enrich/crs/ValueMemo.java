package caravan.enrich.crs;

/**
 * Each rule link's verdict on one request value, kept across requests in the engine's bounded
 * cache (user agents, referrers, paths and arguments repeat). Shared between threads without
 * locks: a slot is a single byte, written with a value that depends on nothing but the value and
 * the link, so a reader sees either nothing yet (and works it out again) or the one right answer.
 */
final class ValueMemo {
    static final byte UNKNOWN = 0;
    static final byte NO_MATCH = 1;
    static final byte MATCH = 2;

    private final byte[] verdicts;
    /**
     * One bit per link, cleared once the link's verdict is NO_MATCH: the links that may still match
     * this value, so a request ORs a few words instead of reading a byte per rule and value. Cleared
     * without a lock: a clear lost to a concurrent one leaves a bit set, which only costs a look at
     * {@link #verdicts}; a bit is never cleared for a link whose verdict is not NO_MATCH.
     */
    private final long[] live;

    /** What a capturing link's match set (TX:0-9) on this value; immutable once built. */
    record Captures(int link, String[] groups) {
    }

    /**
     * The captures of the links that matched with {@code capture}, few per value: replayed on a
     * cached match instead of running the regex again for its groups. Copied on write; a lost race
     * only means a later request works them out again.
     */
    private volatile Captures[] captures = new Captures[0];

    ValueMemo(int links) {
        this.verdicts = new byte[links];
        this.live = new long[(links + 63) >>> 6];
        java.util.Arrays.fill(live, -1L);
    }

    byte verdict(int link) {
        return verdicts[link];
    }

    void verdict(int link, boolean match) {
        verdicts[link] = match ? MATCH : NO_MATCH;
        if (!match) {
            live[link >>> 6] &= ~(1L << link);
        }
    }

    /** Whether {@code link} may match this value (its verdict is not known NO_MATCH). */
    boolean live(int link) {
        return (live[link >>> 6] & 1L << link) != 0;
    }

    /** ORs into {@code out} the links that may match this value (not known NO_MATCH), among {@code of}. */
    void orLive(long[] of, long[] out) {
        for (int w = 0; w < out.length; w++) {
            out[w] |= live[w] & of[w];
        }
    }

    /** The groups {@code link} captured on this value (index = group, null = not set), or null if not kept. */
    String[] captures(int link) {
        for (Captures c : captures) {
            if (c.link() == link) {
                return c.groups();
            }
        }
        return null;
    }

    void captures(int link, String[] groups) {
        Captures[] now = captures;
        Captures[] next = java.util.Arrays.copyOf(now, now.length + 1);
        next[now.length] = new Captures(link, groups);
        captures = next;
    }
}
