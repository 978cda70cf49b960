package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.re2j.PatternSyntaxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A case-insensitive class over a wide non-ASCII range is refused at once, not compiled for minutes (a fuzz finding). */
class FoldGuardTest {
    @Test
    @Timeout(10)
    void wideFoldedRangesAreRefusedQuicklyAndEverythingElseCompiles() {
        assertThatThrownBy(() -> Operators.regex("(?i)[\\x{100}-\\x{3000}]")).isInstanceOf(PatternSyntaxException.class)
                .hasMessageContaining("case-insensitive character classes span");
        assertThatThrownBy(() -> Operators.regex("a(?si:b)[\\x{100}-\\x{900}x\\x{1000}-\\x{1800}]")).isInstanceOf(PatternSyntaxException.class);
        assertThatThrownBy(() -> new KeyRegex("[\\x{100}-\\x{3000}]")).isInstanceOf(PatternSyntaxException.class);
        assertThatThrownBy(() -> new KeyRegex("[Ā-\u3000]")).isInstanceOf(PatternSyntaxException.class); // literal characters too
        // Without folding, or narrow, or covering every folding letter (RE2/J's shortcut): compiled as before.
        assertThat(Operators.regex("[\\x{100}-\\x{3000}]").matcher("\u0200").find()).isTrue();
        assertThat(Operators.regex("(?i)[\\x{100}-\\x{200}]").matcher("\u0150").find()).isTrue();
        assertThat(Operators.regex("(?i)[\\x{0}-\\x{10ffff}]").matcher("x").find()).isTrue();
        assertThat(new KeyRegex("^header_name_920450_").find("header_name_920450_x")).isTrue();
    }
}
