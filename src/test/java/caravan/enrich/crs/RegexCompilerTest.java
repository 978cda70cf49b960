package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.re2j.PatternSyntaxException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The compile deadline holds whatever the syntax: slow patterns fail like syntax errors, and the next compile works. */
class RegexCompilerTest {
    @Test
    void aCompileOverTheDeadlineFailsAndItsThreadIsStopped() {
        // Nested counted repetition: 100 million instructions from 22 characters, seconds of RE2/J on any machine
        // (10 million compiled within 200 ms on a fast CI machine)
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(
                () -> RegexCompiler.compile("((a{1000}){1000}){100}", 0, 200)).isInstanceOf(PatternSyntaxException.class)
                .hasMessageContaining("did not compile it within 200 ms")
                .hasMessageContaining("caravan.enrich.crs.regex-compile-timeout-ms"));
        assertThat(RegexCompiler.compile("a+b", 0, CrsTestDefaults.MILLIS).matcher("xaab").find()).isTrue();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (compileThreads() > 1 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(compileThreads()).as("the stuck compile thread is gone, one fresh worker serves").isEqualTo(1);
    }

    private static long compileThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("crs-regex-compile")).count();
    }

    @Test
    void aPatternRe2jOverflowsItsStackOnIsRefusedNotThrownAsAnError() {
        String deep = "(".repeat(100_000) + "a" + ")".repeat(100_000);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(() -> RegexCompiler.compile(deep, 0, 30_000))
                .isInstanceOf(PatternSyntaxException.class).hasMessageContaining("StackOverflowError"));
        assertThat(RegexCompiler.compile("(((a)))", 0, CrsTestDefaults.MILLIS).matcher("a").matches()).isTrue();
    }

    @Test
    void theDeadlineMustBePositive() {
        assertThatThrownBy(() -> new RuleLoader(Detectors.NONE, java.util.Set.of(), 0)).isInstanceOf(CrsException.class)
                .hasMessageContaining("caravan.enrich.crs.regex-compile-timeout-ms");
    }

    @Test
    void theRuleSetsDeadlineReachesItsRegexes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("slow.conf"), "SecRule ARGS \"@rx ((a{1000}){1000}){100}\" \"id:7,phase:2,pass\"\n");
        CrsRuleSet set = CrsRuleSet.load(dir, java.util.List.of(), java.util.List.of(), Detectors.NONE, java.util.Set.of(),
                Exclusions.NONE, 200);
        assertThat(set.whyNotInForce(7)).contains("did not compile it within 200 ms");
    }
}
