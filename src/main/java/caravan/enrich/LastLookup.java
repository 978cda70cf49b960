package caravan.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.function.Function;

/**
 * The last key looked up and what it gave, in front of an enricher's cache. A log repeats its
 * client from line to line (a page and then its images, scripts and styles, all with the same
 * user agent and referrer): on the corpus 58% of lines have the user agent of the line before. A
 * repeat then costs one {@code equals} on the string instead of hashing it (a parser's fresh
 * string has no cached hash: ~1 ns a character) and a cache lookup.
 *
 * <p>Only for a function of the key alone that does not change over the enricher's life. Shared
 * by threads without a lock on purpose: the pair is immutable, so a thread sees either the old
 * pair or the new one, and a race costs no more than a cache lookup.
 */
public final class LastLookup<V> {
    private record Pair<V>(String key, V value) {
    }

    private final Function<String, V> lookup;
    private Pair<V> last;

    public LastLookup(Function<String, V> lookup) {
        this.lookup = lookup;
    }

    /** {@code compute} cached by key in a bounded cache of {@code cacheSize}, with the last key in front. */
    public static <V> LastLookup<V> cached(long cacheSize, Function<String, V> compute) {
        Cache<String, V> cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
        return new LastLookup<>(key -> cache.get(key, compute));
    }

    public V get(String key) {
        Pair<V> p = last;
        if (p != null && p.key.equals(key)) {
            return p.value;
        }
        V v = lookup.apply(key);
        last = new Pair<>(key, v);
        return v;
    }
}
