package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DocumentIdsTest {

    @Test
    void sameLineGetsSameId() {
        assertThat(DocumentIds.of("web-1", "dev:1/ino:2/fp:abc", 123)).isEqualTo(DocumentIds.of("web-1", "dev:1/ino:2/fp:abc", 123));
    }

    @Test
    void anyPartDifferingGivesADifferentId() {
        String base = DocumentIds.of("web-1", "f", 1);
        assertThat(DocumentIds.of("web-2", "f", 1)).isNotEqualTo(base);
        assertThat(DocumentIds.of("web-1", "g", 1)).isNotEqualTo(base);
        assertThat(DocumentIds.of("web-1", "f", 2)).isNotEqualTo(base);
        // the separator keeps ("ab","c") and ("a","bc") apart
        assertThat(DocumentIds.of("ab", "c", 1)).isNotEqualTo(DocumentIds.of("a", "bc", 1));
    }

    @Test
    void idsAreShortUrlSafeAndDistinctOverManyOffsets() {
        Set<String> seen = new HashSet<>();
        for (long off = 0; off < 100_000; off += 7) {
            String id = DocumentIds.of("h", "f", off);
            assertThat(id).hasSize(22).matches("[A-Za-z0-9_-]+");
            seen.add(id);
        }
        assertThat(seen).hasSize((100_000 + 6) / 7);
    }

    /**
     * Ids and content hashes already in indices must come out the same from every version: a
     * replay or a re-read after an upgrade finds its document (or its 409 checks out) only then.
     * The values were computed by the first released scheme (SHA-256 of host NUL file NUL offset;
     * the content hash as the id of host, path NUL message, 0).
     */
    @Test
    void idsAndContentHashesStayTheSameAcrossVersions() {
        assertThat(DocumentIds.of("web-1", "dev:1/ino:2/fp:abc", 123)).isEqualTo("B0fQraivHk5DXRp3jQuatQ");
        assertThat(DocumentIds.of(null, null, -1)).isEqualTo("YgyqrHxDjE139hb809j-ng");
        assertThat(DocumentIds.of("h\u00f4te", "/var/log/\u00fc.log", Long.MAX_VALUE)).isEqualTo("nPutIeTkHs4KrLoqLRbMmg");
        assertThat(DocumentIds.ofRecord("logs-raw/3@1200")).isEqualTo("3-Uutl8UI4eOdtQBNl7EfQ");
        assertThat(DocumentIds.ofName("order-42")).isEqualTo("yMhArC8dg8k4CQYFJ8JHyg");
        assertThat(DocumentIds.content("127.0.0.1 - - \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"", "web-1", "/var/log/a.log"))
                .isEqualTo("rOsay6ufBLpTo29Qb3byCg");
        assertThat(DocumentIds.content("\u00e9 \uD83D\uDE00 lone \uD800 end", null, null)).isEqualTo("3s_LGtVy5Ad7Hkgl6AoWhg");
        assertThat(DocumentIds.content("m", "h", "p")).isEqualTo(DocumentIds.of("h", "p\u0000m", 0));
    }

    /** A line longer than the hasher's buffer grows it for that hash only; the values around it are unchanged. */
    @Test
    void aLongLineBetweenShortOnesHashesAsBefore() {
        DocumentIds.Hasher h = DocumentIds.hasher();
        assertThat(h.of("web-1", "dev:1/ino:2/fp:abc", 123)).isEqualTo("B0fQraivHk5DXRp3jQuatQ");
        // pinned with the scheme's first implementation, which fed the digest part by part
        assertThat(h.content("x".repeat(200_000) + "\u00e9", "web-1", "/var/log/a.log")).isEqualTo("LsgMyENtb66OLtrNVNmsFw");
        assertThat(h.of("web-1", "dev:1/ino:2/fp:abc", 123)).isEqualTo("B0fQraivHk5DXRp3jQuatQ");
        assertThat(h.content("m", "h", "p")).isEqualTo(h.of("h", "p\u0000m", 0));
    }

    /** A render pass takes one hasher for its whole batch: what it hashed before must not leak into the next value. */
    @Test
    void oneHasherUsedInTurnGivesTheSameValuesAsTheStaticCalls() {
        DocumentIds.Hasher h = DocumentIds.hasher();
        for (int i = 0; i < 3; i++) {
            assertThat(h.content("127.0.0.1 - - \"GET / HTTP/1.1\" 200 5 \"-\" \"curl\"", "web-1", "/var/log/a.log"))
                    .isEqualTo("rOsay6ufBLpTo29Qb3byCg");
            assertThat(h.of("web-1", "dev:1/ino:2/fp:abc", 123)).isEqualTo("B0fQraivHk5DXRp3jQuatQ");
            assertThat(h.ofName("order-42")).isEqualTo("yMhArC8dg8k4CQYFJ8JHyg");
            assertThat(h.ofRecord("logs-raw/3@1200")).isEqualTo("3-Uutl8UI4eOdtQBNl7EfQ");
            assertThat(h.of(null, null, -1)).isEqualTo("YgyqrHxDjE139hb809j-ng");
        }
    }

    /** A hasher is one thread's: index instances render on their own threads, each with its own digest. */
    @Test
    void eachThreadGetsItsOwnHasher() throws InterruptedException {
        DocumentIds.Hasher mine = DocumentIds.hasher();
        AtomicReference<DocumentIds.Hasher> other = new AtomicReference<>();
        Thread t = new Thread(() -> other.set(DocumentIds.hasher()));
        t.start();
        t.join();
        assertThat(other.get()).isNotNull().isNotSameAs(mine);
        assertThat(DocumentIds.hasher()).isSameAs(mine);
    }
}
