package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
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
}
