package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.re2j.PatternSyntaxException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Case-insensitive patterns that make RE2/J 1.8 fold U+1C80-U+1C88 spin forever. Each pattern below
 * hung RE2/J (over 3 s, then minutes) behind the earlier, span-counting guard: a literal, a single
 * class member, a narrow range, a class opened by {@code ]} or holding a POSIX class (the old
 * scanner lost track of the class there), flags set inside a group.
 */
class FoldGuardTest {
    private static final Duration QUICK = Duration.ofSeconds(10);

    @ParameterizedTest
    @ValueSource(strings = {"(?i)\\x{1c80}", "(?i)[\\x{1c80}]", "(?i)[\\x{1c7f}-\\x{1c81}]", "(?i:[^\\x{1c85}])",
        "(?i)[]\\x{1000}-\\x{2000}]", "(?i)[[:alpha:]\\x{1000}-\\x{2000}]", "(?i)(a|[\\x{1c88}])", "a(?smi)\\x{01c80}",
        "(?i)\\x{00000001c80}", "(?i)[\\x{42}-\\x{10ffff}]", "(?i)[\\x{100}-\\x{3000}]"})
    void rxPatternsThatFoldAnOpenOrbitAreRefusedAtOnce(String pattern) {
        assertTimeoutPreemptively(QUICK, () -> assertThatThrownBy(() -> CrsTestDefaults.regex(pattern))
                .isInstanceOf(PatternSyntaxException.class).hasMessageContaining("RE2/J 1.8 never finishes folding"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u1c80", "[\u1c80]", "\\x{1c80}", "[]\\x{1000}-\\x{2000}]", "x[[:word:]\\x{1c00}-\\x{1d00}]",
        "[Ā-\u3000]"})
    void keyRegexesFoldAlwaysSoTheyAreCheckedWithoutAFlag(String body) {
        assertTimeoutPreemptively(QUICK, () -> assertThatThrownBy(() -> CrsTestDefaults.keyRegex(body))
                .isInstanceOf(PatternSyntaxException.class).hasMessageContaining("U+"));
    }

    @Test
    void everythingThatCannotReachTheLoopStillCompiles() {
        assertTimeoutPreemptively(QUICK, () -> {
            assertThat(CrsTestDefaults.regex("[\\x{100}-\\x{3000}]").matcher("\u0200").find()).isTrue(); // no folding
            assertThat(CrsTestDefaults.regex("(?i)[\\x{100}-\\x{1c7f}]").matcher("\u0150").find()).isTrue();
            assertThat(CrsTestDefaults.regex("(?i)\\p{Cyrillic}").matcher("\u0432").find()).isTrue(); // folds by table
            assertThat(CrsTestDefaults.regex("(?-s)\\x{1c80}").matcher("\u1c80").find()).isTrue();
            // A literal non-ASCII character in @rx becomes its UTF-8 bytes, which fold harmlessly.
            assertThat(CrsTestDefaults.regex("(?i)\u1c80").matcher(Bytes.of("\u1c80")).find()).isTrue();
            assertThat(CrsTestDefaults.keyRegex("^header_name_920450_").find("header_name_920450_x")).isTrue();
        });
    }

    /** The bound rests on RE2/J's fold orbits on this JDK: every one below it closes; U+1C80's does not. */
    @Test
    void noCodePointBelowTheBoundHasAnOpenOrbit() throws Exception {
        Method fold = Class.forName("com.google.re2j.Unicode").getDeclaredMethod("simpleFold", int.class);
        fold.setAccessible(true);
        int firstOpen = -1;
        for (int c = 0; c <= 0x10ffff && firstOpen < 0; c++) {
            int f = (int) fold.invoke(null, c);
            for (int steps = 0; f != c && steps < 16; steps++) {
                f = (int) fold.invoke(null, f);
            }
            firstOpen = f != c ? c : -1;
        }
        assertThat(firstOpen).isEqualTo(FoldGuard.FIRST_OPEN_ORBIT);
    }

    @Test
    void aRefusedRxSkipsItsRuleWithFileLineAndReasonAndARefusedKeyIsAStartUpError() {
        RuleLoader loader = CrsTestDefaults.loader(Detectors.NONE, Set.of("user-agent"));
        List<SecLangReader.Directive> ds = SecLangReader.parse(Path.of("mine.conf"), List.of(
                "SecRule ARGS \"@rx (?i)[\\x{1c7f}-\\x{1c81}]\" \"id:7,phase:2,pass\"",
                "SecRule ARGS:/\u1c80/ \"@rx a\" \"id:8,phase:2,pass\""));
        assertTimeoutPreemptively(QUICK, () -> loader.add(ds.get(0)));
        assertThat(loader.skipped).singleElement().satisfies(s -> {
            assertThat(s.id()).isEqualTo(7);
            assertThat(s.where()).isEqualTo("mine.conf:1");
            assertThat(s.reason()).startsWith("RE2 cannot compile the regex: case-insensitive and names U+1C81");
        });
        assertTimeoutPreemptively(QUICK, () -> assertThatThrownBy(() -> loader.add(ds.get(1)))
                .isInstanceOf(CrsException.class).hasMessageStartingWith("mine.conf:2: variable key regex"));
    }
}
