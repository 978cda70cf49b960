package caravan.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeLogTest {

    @Test
    void neutralisesLineBreaksAndControlCharacters() {
        String forged = "GET /x\n12:00:00 INFO fake entry\r\u001b[31mred";
        String safe = SafeLog.escape(forged);
        assertThat(safe).doesNotContain("\n", "\r", "\u001b");
        assertThat(safe).contains("\\n12:00:00", "\\r", "\\u001b");
    }

    @Test
    void boundsLength() {
        assertThat(SafeLog.escape("x".repeat(10_000))).hasSizeLessThan(600).endsWith("(10000 chars)");
    }
}
