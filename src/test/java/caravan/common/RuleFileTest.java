package caravan.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleFileTest {

    private static List<RuleFile.Entry> entries(String yaml) {
        return RuleFile.parse("f.yaml", yaml).entries("rules");
    }

    @Test
    void readsEntriesWithTheirLinesAndTypedValues() {
        List<RuleFile.Entry> e = entries("""
                # a comment
                rules:
                  - id: one
                    tags: [a, "b c"]
                    single: x
                    on: true
                  - {id: two, empty: ~}
                """);
        assertThat(e).hasSize(2);
        assertThat(e.get(0).line()).isEqualTo(3);
        assertThat(e.get(0).string("id")).isEqualTo("one");
        assertThat(e.get(0).strings("tags")).containsExactly("a", "b c");
        assertThat(e.get(0).strings("single")).containsExactly("x");
        assertThat(e.get(0).bool("on", false)).isTrue();
        assertThat(e.get(1).line()).isEqualTo(7);
        assertThat(e.get(1).has("empty")).isFalse();
        assertThat(e.get(1).optionalString("empty")).isNull();
        assertThat(e.get(1).strings("tags")).isEmpty();
        assertThat(e.get(1).bool("on", true)).isTrue();
    }

    @Test
    void emptyFilesAndEmptyListsHaveNoEntries() {
        assertThat(entries("")).isEmpty();
        assertThat(entries("# only a comment\n")).isEmpty();
        assertThat(entries("rules:\n")).isEmpty();
        assertThat(entries("rules: []\n")).isEmpty();
    }

    @Test
    void everyShapeMistakeNamesFileAndLine() {
        assertThatThrownBy(() -> entries("- id: a\n")).hasMessage("f.yaml:1: expected a mapping with a 'rules' list at the top");
        assertThatThrownBy(() -> entries("rules: {id: a}\n")).hasMessage("f.yaml:1: 'rules' must be a list");
        assertThatThrownBy(() -> entries("rules:\n  - just text\n")).hasMessage("f.yaml:2: each entry of 'rules' must be a mapping");
        assertThatThrownBy(() -> entries("rules:\n  - id: a\n    id: b\n")).hasMessage("f.yaml:3: duplicate key 'id'");
        assertThatThrownBy(() -> entries("rules:\n  - id: [a]\n").get(0).string("id"))
                .hasMessage("f.yaml:2: expected a text value for 'id', found a sequence");
        assertThatThrownBy(() -> entries("rules:\n  - tags: [a, [b]]\n").get(0).strings("tags"))
                .hasMessage("f.yaml:2: 'tags' must be a list of strings");
        assertThatThrownBy(() -> entries("rules:\n  - tags: [a, '']\n").get(0).strings("tags"))
                .hasMessage("f.yaml:2: 'tags' has an empty entry");
        assertThatThrownBy(() -> entries("rules:\n  - id: a\n    colour: red\n").get(0).allowOnly(Set.of("id")))
                .hasMessage("f.yaml:3: unknown key 'colour' (expected one of id)");
        assertThatThrownBy(() -> entries("rules:\n  - id: ''\n").get(0).string("id"))
                .hasMessage("f.yaml:2: 'id' is required and must not be empty");
        assertThatThrownBy(() -> RuleFile.classpath("caravan/enrich/nope.yaml"))
                .hasMessage("classpath:caravan/enrich/nope.yaml: not found on the classpath");
    }

    @Test
    void aliasBombsAreRefused() {
        StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'm'; c++) {
            char p = (char) (c - 1);
            y.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p).append("]\n");
        }
        y.append("rules: []\n");
        assertThatThrownBy(() -> RuleFile.parse("bomb.yaml", y.toString()).entries("rules"))
                .isInstanceOf(RuleFileException.class).hasMessageStartingWith("bomb.yaml:");
    }
}
