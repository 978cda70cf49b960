package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TransformsTest {
    private static String t(String name, String in) {
        return Transforms.named(name).apply(in);
    }

    @Test
    void decodersUndoWhatAttackersUse() {
        assertThat(t("urlDecodeUni", "%27%u0027%uff1c+x%zz")).isEqualTo("''< x%zz");
        assertThat(t("htmlEntityDecode", "&#x000000041;&#0000066&lt;&quot;&amp;x&bogus;")).isEqualTo("AB<\"&x&bogus;");
        assertThat(t("jsDecode", "\\x41\\u0042\\103\\n\\q")).isEqualTo("ABC\nq");
        assertThat(t("cssDecode", "\\6a \\61vascript\\:")).isEqualTo("javascript:");
        assertThat(t("escapeSeqDecode", "\\x41\\101\\t\\z")).isEqualTo("AA\t\\z");
        assertThat(t("utf8toUnicode", Bytes.of("é<"))).isEqualTo("%u00e9<");
        assertThat(t("base64Decode", "c2VsZWN0")).isEqualTo("select");
        assertThat(t("hexDecode", "414243")).isEqualTo("ABC");
    }

    @Test
    void normalisersFoldSpellings() {
        assertThat(t("cmdLine", "C^a\"t  /etc;ID")).isEqualTo("cat/etc id");
        assertThat(t("compressWhitespace", "a \t\n b")).isEqualTo("a b");
        assertThat(t("removeWhitespace", "a \t b")).isEqualTo("ab");
        assertThat(t("removeNulls", "a\0b")).isEqualTo("ab");
        assertThat(t("replaceComments", "un/**/ion/* x")).isEqualTo("un ion ");
        assertThat(t("removeComments", "se/**/lect -- x")).isEqualTo("select ");
        assertThat(t("removeCommentsChar", "se/*lect*/#")).isEqualTo("select");
        assertThat(t("normalizePath", "/a/./b/../../../etc//passwd")).isEqualTo("/etc/passwd");
        assertThat(t("normalizePathWin", "\\a\\..\\win.ini")).isEqualTo("/win.ini");
        assertThat(t("lowercase", "SeLeCt")).isEqualTo("select");
        assertThat(t("length", "abcd")).isEqualTo("4");
        assertThat(t("sha1", "abc")).hasSize(20);
        assertThat(t("trim", "  a ")).isEqualTo("a");
    }

    @Test
    void theRegexPrefilterFindsLiteralsEveryMatchNeedsAndNoneWhenItCannot() {
        assertThat(RegexLiterals.required("(?i)union\\s+select")).containsExactly("select");
        assertThat(RegexLiterals.required("(?:cat|more)\\s+/etc")).containsExactly("/etc");
        assertThat(RegexLiterals.required("foo|bar")).containsExactlyInAnyOrder("foo", "bar");
        assertThat(RegexLiterals.required("fooo?x")).containsExactlyInAnyOrder("fooox", "foox");
        assertThat(RegexLiterals.required("foo|b")).containsExactlyInAnyOrder("foo", "b"); // one character is filter enough
        assertThat(RegexLiterals.required("a.*b")).containsExactly("a");
        assertThat(RegexLiterals.required("a?.*b?")).isNull();
        assertThat(RegexLiterals.required("x?")).isNull();
        assertThat(RegexLiterals.required("\\x{c2}abc")).containsExactly("abc");
    }
}
