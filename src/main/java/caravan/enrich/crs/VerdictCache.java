package caravan.enrich.crs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The engine's verdicts by value ({@link ValueMemo}): a bounded Caffeine cache behind a
 * direct-mapped front table. A request looks up each of its values once; a front hit costs one
 * array read and the value's {@code equals}, with no concurrent-map probe and no read-buffer
 * bookkeeping. Front entries are immutable and written without locks: a reader sees an entry
 * whole or not at all. An entry whose memo the cache behind has since evicted is still right
 * (a memo's verdicts depend on nothing but the value and the link); it only keeps that memo
 * alive until another value takes its place, so the front adds at most its size in memos.
 */
final class VerdictCache {
    /** Below this size the front is left out: a tiny cache means "keep (almost) nothing" (tests, the cold bench). */
    static final long SMALLEST_WITH_FRONT = 64;
    private static final int LARGEST_FRONT = 8192;

    private record Entry(String value, ValueMemo memo) {
    }

    private final Cache<String, ValueMemo> behind;
    /** Power-of-two length, or 0 without a front. */
    private final Entry[] front;
    private final int links;

    VerdictCache(long size, int links) {
        this.behind = Caffeine.newBuilder().maximumSize(size).build();
        this.front = new Entry[size < SMALLEST_WITH_FRONT ? 0 : Integer.highestOneBit((int) Math.min(size, LARGEST_FRONT))];
        this.links = links;
    }

    /** The memo of {@code value}, made on first sight. */
    ValueMemo get(String value) {
        if (front.length == 0) {
            return behind.get(value, k -> new ValueMemo(links));
        }
        int h = value.hashCode();
        int i = (h ^ h >>> 16) & (front.length - 1);
        Entry e = front[i];
        if (e != null && (e.value == value || e.value.equals(value))) {
            return e.memo;
        }
        ValueMemo memo = behind.get(value, k -> new ValueMemo(links));
        front[i] = new Entry(value, memo);
        return memo;
    }

    /** How many values the cache behind the front holds (for tests). */
    long size() {
        behind.cleanUp();
        return behind.estimatedSize();
    }

    int frontSize() {
        return front.length;
    }
}
