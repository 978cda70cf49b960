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

    ValueMemo(int links) {
        this.verdicts = new byte[links];
    }

    byte verdict(int link) {
        return verdicts[link];
    }

    void verdict(int link, boolean match) {
        verdicts[link] = match ? MATCH : NO_MATCH;
    }
}
