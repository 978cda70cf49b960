package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.re2j.PatternSyntaxException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Long literal runs, which RE2/J parses in quadratic time (0.15-1.4 s for 40,000 characters of each
 * kind below, measured, and four times that for twice the length; a fuzz finding), and long patterns dense
 * with groups: refused at once, however they are spelled.
 */
class ParseCostGuardTest {
    @ParameterizedTest
    @ValueSource(strings = {"a", "a[)]", "ab(?s)", "\\.", "[a]", "x[|]"})
    void aLongRunIsRefusedAtOnce(String unit) {
        String pattern = unit.repeat(200 * 1024 / unit.length()); // RE2/J: 4 s and more
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> assertThatThrownBy(() -> CrsTestDefaults.regex(pattern))
                .isInstanceOf(PatternSyntaxException.class).hasMessageContaining("literal atoms"));
    }

    /** Short runs, but a group every few characters: RE2/J copies the rest of the pattern at each (seconds, measured). */
    @ParameterizedTest
    @ValueSource(strings = {"(a)", "(?:ab)|", "[a](b)"})
    void manyGroupsInALongPatternAreRefusedAtOnce(String unit) {
        String pattern = unit.repeat(90_000 / unit.length());
        assertTimeoutPreemptively(Duration.ofSeconds(1), () -> assertThatThrownBy(() -> CrsTestDefaults.regex(pattern))
                .isInstanceOf(PatternSyntaxException.class).hasMessageContaining("characters looking ahead"));
    }

    @Test
    void quotedTextAndKeyRegexesCountToo() {
        assertTimeoutPreemptively(Duration.ofMillis(300), () -> {
            assertThatThrownBy(() -> CrsTestDefaults.regex("\\Q" + "x".repeat(60_000) + "\\E")).hasMessageContaining("literal atoms");
            assertThatThrownBy(() -> CrsTestDefaults.keyRegex("k".repeat(60_000))).hasMessageContaining("literal atoms");
        });
    }

    @Test
    void groupsAndAlternativesEndARunWhileClassesAndQuotesDoNot() {
        assertThat(ParseCostGuard.longestRun("abc|de(fgh)ij")).isEqualTo(3);
        assertThat(ParseCostGuard.longestRun("ab(?i)cd")).isEqualTo(5); // a flag group pushes nothing
        assertThat(ParseCostGuard.longestRun("a[)|(]b[]|]c[[:alpha:]|]d")).isEqualTo(7);
        assertThat(ParseCostGuard.longestRun("a\\Q)|(\\Eb")).isEqualTo(7);
        // Long patterns made of short runs, as CRS's are, pass.
        String words = java.util.stream.IntStream.range(0, 5_000).mapToObj(i -> "word" + i)
                .collect(java.util.stream.Collectors.joining("|"));
        assertThat(CrsTestDefaults.regex("(?:" + words + ")\\b").matcher("x word4999 y").find()).isTrue();
    }
}
