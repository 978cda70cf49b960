package caravan.enrich.match;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AhoCorasickTest {

    private static List<String> hits(AhoCorasick ac, List<String> words, String text) {
        List<String> out = new ArrayList<>();
        ac.scan(text, (k, end) -> out.add(words.get(k) + "@" + (end - ac.length(k))));
        return out;
    }

    @Test
    void findsOverlappingAndNestedKeywordsInOnePass() {
        List<String> words = List.of("he", "she", "his", "hers");
        AhoCorasick ac = AhoCorasick.of(words);
        // Matches come in order of where they end; "she" and "he" end together.
        assertThat(hits(ac, words, "ushers")).containsExactlyInAnyOrder("she@1", "he@2", "hers@2");
        assertThat(hits(ac, words, "ushers").get(2)).isEqualTo("hers@2");
    }

    @Test
    void ignoresAsciiCaseOnBothSides() {
        List<String> words = List.of("GoogleBot", "curl/");
        AhoCorasick ac = AhoCorasick.of(words);
        assertThat(hits(ac, words, "Mozilla/5.0 (compatible; GOOGLEBOT/2.1)")).containsExactly("GoogleBot@25");
        assertThat(hits(ac, words, "CURL/7.68.0")).containsExactly("curl/@0");
    }

    @Test
    void matchesNonAsciiKeywordsWithoutCase() {
        List<String> words = List.of("яндекс", "ü");
        AhoCorasick ac = AhoCorasick.of(words);
        assertThat(hits(ac, words, "ЯНДЕКС Bot, Über")).containsExactly("яндекс@0", "ü@12");
    }

    @Test
    void reportsEveryOccurrenceAndKnowsWhenThereIsNone() {
        List<String> words = List.of("..", "/");
        AhoCorasick ac = AhoCorasick.of(words);
        assertThat(hits(ac, words, "..../")).containsExactly("..@0", "..@1", "..@2", "/@4");
        assertThat(ac.containsAny("/index.html")).isTrue();
        assertThat(ac.containsAny("index.html")).isFalse();
        assertThat(ac.containsAny("")).isFalse();
    }

    @Test
    void aKeywordInsideAnotherStillMatchesAfterAFailedLongerOne() {
        List<String> words = List.of("union select", "select");
        AhoCorasick ac = AhoCorasick.of(words);
        assertThat(hits(ac, words, "union selec select")).containsExactly("select@12");
    }

    @Test
    void refusesAnEmptyKeyword() {
        assertThatThrownBy(() -> AhoCorasick.of(List.of("a", ""))).isInstanceOf(IllegalArgumentException.class);
    }

    /** {@code containsAny} (its own table) says yes exactly when {@code scan} reports a keyword, over random keywords and texts. */
    @Test
    void containsAnyAgreesWithScan() {
        java.util.Random random = new java.util.Random(14);
        String alphabet = "abAB./%\u00fc\u00dc\u044f";
        for (int round = 0; round < 300; round++) {
            List<String> words = new ArrayList<>();
            for (int k = 1 + random.nextInt(6); k > 0; k--) {
                words.add(text(random, alphabet, 1 + random.nextInt(4)));
            }
            AhoCorasick ac = AhoCorasick.of(words);
            for (int t = 0; t < 50; t++) {
                String text = text(random, alphabet, random.nextInt(20));
                assertThat(ac.containsAny(text)).as("%s in %s", words, text).isEqualTo(!hits(ac, words, text).isEmpty());
            }
        }
    }

    private static String text(java.util.Random random, String alphabet, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
