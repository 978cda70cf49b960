package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The verdict cache's front table never hands a value another value's verdicts. */
class VerdictCacheTest {
    private static final int LINKS = 10;

    @Test
    void valuesSharingAFrontSlotKeepTheirOwnVerdicts() {
        VerdictCache cache = new VerdictCache(1000, LINKS);
        // "Aa" and "BB" have the same hash: the same front slot, one after the other.
        ValueMemo aa = cache.get("Aa");
        aa.verdict(3, true);
        ValueMemo bb = cache.get("BB");
        assertThat(bb).isNotSameAs(aa);
        assertThat(bb.verdict(3)).isEqualTo(ValueMemo.UNKNOWN);
        bb.verdict(3, false);
        assertThat(cache.get("Aa").verdict(3)).isEqualTo(ValueMemo.MATCH);
        assertThat(cache.get("BB").verdict(3)).isEqualTo(ValueMemo.NO_MATCH);
    }

    @Test
    void anEqualValueOfAnotherRequestFindsTheSameVerdicts() {
        VerdictCache cache = new VerdictCache(1000, LINKS);
        cache.get(new String("/index.html")).verdict(1, false);
        assertThat(cache.get(new String("/index.html")).verdict(1)).isEqualTo(ValueMemo.NO_MATCH);
        assertThat(cache.get("/index.htm").verdict(1)).isEqualTo(ValueMemo.UNKNOWN);
    }

    @Test
    void aValueEvictedBehindTheFrontStillGetsOnlyItsOwnVerdicts() {
        VerdictCache cache = new VerdictCache(VerdictCache.SMALLEST_WITH_FRONT, LINKS);
        for (int round = 0; round < 3; round++) {
            for (int v = 0; v < 1000; v++) { // far more values than either table holds
                ValueMemo m = cache.get("value-" + v);
                byte known = m.verdict(v % LINKS);
                assertThat(known).isIn(ValueMemo.UNKNOWN, v % 2 == 0 ? ValueMemo.MATCH : ValueMemo.NO_MATCH);
                m.verdict(v % LINKS, v % 2 == 0);
            }
        }
        assertThat(cache.size()).isLessThanOrEqualTo(VerdictCache.SMALLEST_WITH_FRONT);
    }

    @Test
    void aTinyCacheHasNoFront() {
        assertThat(new VerdictCache(1, LINKS).frontSize()).isZero();
        assertThat(new VerdictCache(10_000, LINKS).frontSize()).isEqualTo(8192);
    }
}
