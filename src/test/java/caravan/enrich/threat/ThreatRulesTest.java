package caravan.enrich.threat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.common.RuleFile;
import caravan.common.RuleFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ThreatRulesTest {
    @TempDir
    Path dir;

    private static ThreatRules withUser(String yaml) {
        return ThreatRules.of(List.of(RuleFile.classpath(ThreatRules.DEFAULT_RESOURCE), RuleFile.parse("user.yaml", yaml)));
    }

    private static RuleFileException refused(String yaml) {
        try {
            ThreatRules.of(List.of(RuleFile.parse("user.yaml", yaml)));
        } catch (RuleFileException e) {
            return e;
        }
        throw new AssertionError("accepted: " + yaml);
    }

    @Test
    void defaultsCoverEveryCategoryAndPassTheirOwnExamples() {
        ThreatRules rules = ThreatRules.load(null);
        assertThat(rules.rules()).extracting(ThreatRule::category).containsOnly("sql_injection", "xss",
                "path_traversal", "local_file_inclusion", "remote_file_inclusion", "command_injection", "log4shell",
                "sensitive_file_probe", "ssrf").hasSizeGreaterThan(15);
        assertThat(rules.rules()).allSatisfy(r -> assertThat(r.source()).startsWith("classpath:caravan/enrich/threats.yaml:"));
    }

    @Test
    void anOperatorFileAddsReplacesAndSwitchesOffRules() throws Exception {
        Path file = dir.resolve("threats.yaml");
        Files.writeString(file, """
                rules:
                  - id: internal-admin
                    category: policy
                    severity: low
                    targets: [path]
                    keywords: [/internal/]
                    matches: [/internal/admin]
                  - id: xss-dom-sink
                    enabled: false
                  - id: path-traversal
                    category: path_traversal
                    severity: critical
                    keywords: [".."]
                    pattern: '\\.\\.[/\\\\]'
                """);
        ThreatRules rules = ThreatRules.load(file.toString());
        assertThat(rules.rules()).extracting(ThreatRule::id).contains("internal-admin").doesNotContain("xss-dom-sink");
        assertThat(rules.match("/internal/admin?x=1", null, null, null)).extracting(ThreatRule::id).containsExactly("internal-admin");
        assertThat(rules.match("/a?x=alert(1)", null, null, null)).isEmpty();
        ThreatRule traversal = rules.rules().stream().filter(r -> r.id().equals("path-traversal")).findFirst().orElseThrow();
        assertThat(traversal.severity()).isEqualTo(Severity.CRITICAL);
        assertThat(traversal.source()).isEqualTo(file + ":10");
    }

    @Test
    void brokenFilesAreRefusedWithFileLineAndReason() {
        RuleFileException e = refused("""
                rules:
                  - id: a
                    category: x
                    severity: high
                    keywords: [a]
                    patern: 'a+'
                """);
        assertThat(e.getMessage()).startsWith("user.yaml:6: unknown key 'patern'");

        assertThat(refused("rules:\n  - id: a\n    category: x\n    severity: severe\n    keywords: [a]\n").getMessage())
                .isEqualTo("user.yaml:4: severity 'severe' must be one of low, medium, high, critical");
        assertThat(refused("rules:\n  - id: a\n    category: x\n    severity: low\n    keywords: [a]\n    pattern: '(?<=a)b'\n").getMessage())
                .startsWith("user.yaml:6: pattern is not a valid RE2 expression");
        assertThat(refused("rules:\n  - id: a\n    category: x\n    severity: low\n    keywords: [a]\n    pattern: '(a)\\1'\n").line())
                .isEqualTo(6);
        assertThat(refused("rules:\n  - id: a\n    category: x\n    severity: low\n").getMessage())
                .startsWith("user.yaml:2: rule 'a' needs 'keywords'");
        assertThat(refused("rules:\n  - id: a\n    category: x\n    severity: low\n    keywords: [a]\n  - id: a\n    category: x\n    severity: low\n    keywords: [b]\n").getMessage())
                .isEqualTo("user.yaml:6: duplicate rule id 'a' in this file");
        assertThat(refused("rules:\n  - id: a\n    category: x\n    severity: low\n    targets: [body]\n    keywords: [a]\n").getMessage())
                .startsWith("user.yaml:5: unknown target 'body'");
        assertThat(refused("rules:\n  - id: a\n    category: x\n    severity: low\n    keywords: [a]\n    enabled: maybe\n").getMessage())
                .isEqualTo("user.yaml:6: 'enabled' must be true or false, not 'maybe'");
        assertThat(refused("rules:\n  - id: a\n    category: x\n   severity: low\n").getMessage())
                .startsWith("user.yaml:4: not valid YAML");
        assertThat(refused("rule:\n  - id: a\n").getMessage())
                .isEqualTo("user.yaml:1: unknown top-level key 'rule' (expected 'rules')");
        assertThat(refused("rules:\n  - id: a\n    category: x\n    severity: low\n    keywords: [a]\n    keywords: [b]\n").getMessage())
                .contains("user.yaml:6").contains("keywords");
    }

    @Test
    void aRuleThatDisagreesWithItsExamplesIsRefused() {
        assertThat(refused("""
                rules:
                  - id: env
                    category: probe
                    severity: low
                    targets: [path]
                    keywords: [.env]
                    pattern: '^/\\.env$'
                    matches: [/.env, /app/.env]
                """).getMessage()).isEqualTo("user.yaml:2: rule 'env' does not match its own example '/app/.env'");
        assertThat(refused("""
                rules:
                  - id: union
                    category: sql_injection
                    severity: high
                    keywords: [union]
                    ignores: [/blog/union-station]
                """).getMessage()).isEqualTo("user.yaml:2: rule 'union' matches '/blog/union-station', which it lists under 'ignores'");
    }

    @Test
    void aMissingOperatorFileIsRefusedByName() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> ThreatRules.load(missing.toString())).isInstanceOf(RuleFileException.class)
                .hasMessageStartingWith(missing + ": cannot read");
    }

    @Test
    void anEmptyOperatorFileChangesNothing() {
        assertThat(withUser("").rules()).hasSameSizeAs(ThreatRules.load(null).rules());
        assertThat(withUser("rules:\n").rules()).hasSameSizeAs(ThreatRules.load(null).rules());
    }
}
