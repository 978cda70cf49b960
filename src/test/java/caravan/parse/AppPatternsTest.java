package caravan.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AppPatternsTest {

    @Test
    void loadsTheExampleFile() {
        AppPatterns p = AppPatterns.load(Path.of("src/test/resources/parse/patterns.yaml"));
        assertThat(p.patterns).extracting(x -> x.name).containsExactly("payment", "legacy", "raw-groups");
        assertThat(p.named("legacy")).isNotNull();
        assertThat(p.named("nope")).isNull();
    }

    @Test
    void brokenPatternIsRefusedWithFileLineAndReason() {
        Path f = Path.of("src/test/resources/parse/patterns-broken.yaml");
        assertThatThrownBy(() -> AppPatterns.load(f)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f + ":5: pattern 'broken': not a valid RE2 expression");
    }

    private static String error(String yaml) {
        try {
            AppPatterns.parse(yaml, "p.yaml", null);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void everyMistakeNamesItsLine() {
        assertThat(error("patterns:\n  - name: a\n    pattern: '%{x'\n")).startsWith("p.yaml:3: pattern 'a':")
                .contains("never closed");
        assertThat(error("patterns:\n  - name: a\n    patern: '%{x}'\n")).startsWith("p.yaml:3: unknown key 'patern'");
        assertThat(error("patterns:\n  - name: a\n")).startsWith("p.yaml:2: missing 'pattern'");
        assertThat(error("patterns:\n  - name: a\n    pattern: '%{x}'\n  - name: a\n    pattern: '%{y}'\n"))
                .startsWith("p.yaml:4: pattern name 'a' is used twice");
        assertThat(error("patterns:\n  - name: default\n    pattern: '%{x}'\n")).startsWith("p.yaml:2:")
                .contains("reserved");
        assertThat(error("patterns:\n  - name: 'a b'\n    pattern: '%{x}'\n")).startsWith("p.yaml:2:");
        assertThat(error("timezone: Mars/Olympus\npatterns:\n  - name: a\n    pattern: '%{x}'\n"))
                .startsWith("p.yaml:1: unknown timezone 'Mars/Olympus'");
        assertThat(error("patterns:\n  - name: a\n    pattern: '%{timestamp}'\n    time_format: 'qqqq{'\n"))
                .startsWith("p.yaml:4:").contains("time_format");
        assertThat(error("patterns: [\n")).startsWith("p.yaml:").contains("not valid YAML");
        assertThat(error("patterns:\n  - name: a\n    pattern: x\n  - name: b\n    pattern: '%{x}'\n"))
                .startsWith("p.yaml:3: pattern 'a': the pattern captures nothing");
        assertThat(error("")).startsWith("p.yaml:1:").contains("empty");
        assertThat(error("- a\n- b\n")).startsWith("p.yaml:1:");
        assertThat(error("patterns: {}\n")).startsWith("p.yaml:1:").contains("list");
        assertThat(error("patterns: []\n")).startsWith("p.yaml:1:").contains("empty");
        assertThat(error("patterns:\n  - name: a\n    pattern: '%{x}'\npatterns:\n  - name: b\n    pattern: '%{y}'\n"))
                .startsWith("p.yaml:4: 'patterns' appears twice");
    }

    @Test
    void missingFileIsRefused() {
        assertThatThrownBy(() -> AppPatterns.load(Path.of("no/such/patterns.yaml")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no/such/patterns.yaml");
    }

    @Test
    void loadedPatternsServeTheAppFormat() throws Exception {
        try {
            Parsers.loadPatterns(Path.of("src/test/resources/parse/patterns.yaml"));
            assertThat(Docs.doc("app", "23/10/2025 16:32:15 | WARN | alice | m")).containsEntry("caravan.pattern", "legacy");
            assertThat(Docs.doc("app:legacy", "23/10/2025 16:32:15 | WARN | alice | m")).containsEntry("user.name", "alice");
            // A broken file leaves the patterns in force untouched.
            assertThatThrownBy(() -> Parsers.loadPatterns(Path.of("src/test/resources/parse/patterns-broken.yaml")))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(Docs.doc("app", "23/10/2025 16:32:15 | WARN | alice | m")).containsEntry("caravan.pattern", "legacy");
        } finally {
            Parsers.resetForTests();
        }
    }
}
