package caravan.enrich.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.common.RuleFile;
import caravan.common.RuleFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BotRulesTest {
    @TempDir
    Path dir;

    @Test
    void anOperatorFileComesFirstAddsBotsAndClearsOthers() throws Exception {
        Path file = dir.resolve("bots.yaml");
        Files.writeString(file, """
                bots:
                  - {name: Our uptime checker, bot: false, tokens: ["^ourcorp-monitor/"]}
                  - {name: Internal crawler, category: internal, tokens: [ourcorp-indexer]}
                  - {name: Curl (ops), category: ops_tooling, tokens: ["^curl/"]}
                """);
        BotRules rules = BotRules.load(file.toString());
        assertThat(rules.classify("ourcorp-monitor/1.0 (bot; +http://ourcorp.example)").bot()).isFalse();
        assertThat(rules.classify("ourcorp-indexer/2")).isEqualTo(new BotRules.Bot("Internal crawler", "internal", true));
        assertThat(rules.classify("curl/8.0")).isEqualTo(new BotRules.Bot("Curl (ops)", "ops_tooling", true));
        assertThat(rules.classify("Mozilla/5.0 (compatible; Googlebot/2.1)").name()).isEqualTo("Googlebot");
    }

    @Test
    void aBrokenFileIsRefusedWithFileLineAndReason() {
        assertThatThrownBy(() -> BotRules.of(List.of(RuleFile.parse("b.yaml", "bots:\n  - name: X\n    tokens: [x]\n"))))
                .isInstanceOf(RuleFileException.class).hasMessage("b.yaml:2: 'category' is required and must not be empty");
        assertThatThrownBy(() -> BotRules.of(List.of(RuleFile.parse("b.yaml", "bots:\n  - name: X\n    category: Search Engine\n    tokens: [x]\n"))))
                .hasMessage("b.yaml:3: category 'Search Engine' must be lower-case letters, digits or '_'");
        assertThatThrownBy(() -> BotRules.of(List.of(RuleFile.parse("b.yaml", "bots:\n  - {name: X, category: x, token: [x]}\n"))))
                .hasMessageStartingWith("b.yaml:2: unknown key 'token'");
        assertThatThrownBy(() -> BotRules.of(List.of(RuleFile.parse("b.yaml", "bots:\n  - {name: X, category: x, tokens: [x], matches: [yyy]}\n"))))
                .hasMessage("b.yaml:2: no token matches its own example 'yyy'");
        assertThatThrownBy(() -> BotRules.of(List.of(RuleFile.parse("b.yaml", "bots:\n  - {name: X, category: x, tokens: [\"^\"]}\n"))))
                .hasMessage("b.yaml:2: token '^' has nothing after the anchor");
    }

    @Test
    void genericEntriesNameTheBotAfterTheUserAgent() {
        assertThat(BotRules.nameFrom("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://x)", 34, 4)).isEqualTo("SemrushBot");
        assertThat(BotRules.nameFrom("Mozilla/5.0 (compatible; X/1.0; +http://x.example/)", 33, 5)).isEqualTo("X");
        assertThat(BotRules.nameFrom("+http://only.a.url", 0, 5)).isEqualTo("unknown");
    }
}
