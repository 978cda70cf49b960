package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.re2j.PatternSyntaxException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The compile deadline holds whatever the syntax: slow patterns fail like syntax errors, and the next compile works. */
class RegexCompilerTest {
    @AfterEach
    void restoreTheDefault() {
        RegexCompiler.timeoutMillis(RegexCompiler.DEFAULT_TIMEOUT_MILLIS);
    }

    @Test
    void aCompileOverTheDeadlineFailsAndItsThreadIsStopped() {
        RegexCompiler.timeoutMillis(200);
        // Nested counted repetition: 10 million instructions from 21 characters, seconds of RE2/J.
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThatThrownBy(
                () -> RegexCompiler.compile("((a{1000}){1000}){10}", 0)).isInstanceOf(PatternSyntaxException.class)
                .hasMessageContaining("did not compile it within 200 ms")
                .hasMessageContaining("caravan.enrich.crs.regex-compile-timeout-ms"));
        assertThat(RegexCompiler.compile("a+b", 0).matcher("xaab").find()).isTrue();
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
        RegexCompiler.timeoutMillis(30_000);
        String deep = "(".repeat(100_000) + "a" + ")".repeat(100_000);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThatThrownBy(() -> RegexCompiler.compile(deep, 0))
                .isInstanceOf(PatternSyntaxException.class).hasMessageContaining("StackOverflowError"));
        assertThat(RegexCompiler.compile("(((a)))", 0).matcher("a").matches()).isTrue();
    }

    @Test
    void theDeadlineMustBePositive() {
        assertThatThrownBy(() -> RegexCompiler.timeoutMillis(0)).isInstanceOf(CrsException.class)
                .hasMessageContaining("caravan.enrich.crs.regex-compile-timeout-ms");
    }
}
