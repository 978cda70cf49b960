package caravan.parse;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EscapesTest {
    private static String decode(String s) {
        return Escapes.decode(s, 0, s.length());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
        "plain|plain",
        "a\\\"b|a\"b",
        "a\\\\b|a\\b",
        "tab\\there|tab\there",
        "\\x41\\x42|AB",
        "caf\\xc3\\xa9|café",
        "caf\\xC3\\xA9|café",
        "emoji \\xf0\\x9f\\x98\\x80|emoji 😀",
        "json \\u00e9 \\u4e2d|json é 中",
        "pair \\ud83d\\ude00|pair 😀",
        "\\/path|/path"})
    void decodes(String in, String out) {
        assertThat(decode(in)).isEqualTo(out);
    }

    @Test
    void controlCharacterEscapes() {
        assertThat(decode("nl\\nx\\ry\\bz\\fw\\vq")).isEqualTo("nl\nx\ry\bz\fw\u000bq");
    }

    @Test
    void invalidUtf8RunsStayEscaped() {
        assertThat(decode("tls \\x16\\x03\\x01\\xfc\\x03 end")).isEqualTo("tls \\x16\\x03\\x01\\xfc\\x03 end");
        assertThat(decode("ok \\xc3\\xa9 bad \\xff")).isEqualTo("ok é bad \\xff");
    }

    @Test
    void incompleteEscapesAreKeptAsWritten() {
        assertThat(decode("a\\")).isEqualTo("a\\");
        assertThat(decode("\\x4")).isEqualTo("\\x4");
        assertThat(decode("\\xZZ")).isEqualTo("\\xZZ");
        assertThat(decode("\\u12")).isEqualTo("\\u12");
        assertThat(decode("\\q")).isEqualTo("\\q");
    }

    @Test
    void loneSurrogateEscapesAreNotDecoded() {
        assertThat(decode("\\ud800x")).isEqualTo("\\ud800x");
        assertThat(decode("\\udc00")).isEqualTo("\\udc00");
        assertThat(decode("\\ud83d\\u0041")).isEqualTo("\\ud83dA");
    }

    @Test
    void decodesOnlyTheGivenRange() {
        assertThat(Escapes.decode("xx\\x41yy", 2, 6)).isEqualTo("A");
        assertThat(Escapes.decode("\\x41abc\\x42", 4, 6)).isEqualTo("ab");
    }
}
