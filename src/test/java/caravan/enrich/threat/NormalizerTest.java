package caravan.enrich.threat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NormalizerTest {

    @Test
    void textWithNothingToUndoIsReturnedAsIs() {
        String s = "/blog/geekery/xvfb-firefox.html?page=2";
        assertThat(Normalizer.text(s)).isSameAs(s);
    }

    @Test
    void decodesRepeatedlyButOnlyUpToTheLimit() {
        assertThat(Normalizer.text("%2e%2e%2f")).isEqualTo("../");
        assertThat(Normalizer.text("%252e%252e%252f")).isEqualTo("../");
        assertThat(Normalizer.text("%25252e")).isEqualTo(".");
        // Four layers: three rounds leave one, which is what a server decoding fewer times would see too.
        assertThat(Normalizer.text("%2525252e")).isEqualTo("%2e");
    }

    @Test
    void plusIsASpaceAndCaseIsFolded() {
        assertThat(Normalizer.text("/p?q=UNION+ALL+SeLeCt")).isEqualTo("/p?q=union all select");
    }

    @Test
    void overlongUtf8AndIisUnicodeEscapesDecodeToWhatTheySpell() {
        assertThat(Normalizer.text("%c0%ae%c0%ae%c0%af")).isEqualTo("../");
        assertThat(Normalizer.text("%e0%80%ae")).isEqualTo(".");
        assertThat(Normalizer.text("%u002e%u002E%u2215")).isEqualTo("..\u2215");
        assertThat(Normalizer.text("caf%C3%A9")).isEqualTo("café");
    }

    @Test
    void bytesThatAreNotUtf8AreKeptAsLatin1AndBrokenEscapesLiterally() {
        assertThat(Normalizer.text("%E8%F1")).isEqualTo("èñ");
        assertThat(Normalizer.text("100%")).isEqualTo("100%");
        assertThat(Normalizer.text("%zz%4")).isEqualTo("%zz%4");
    }

    @Test
    void htmlCharacterReferencesAreDecodedButAmpStays() {
        assertThat(Normalizer.text("&#106;avascript&#x3A;alert")).isEqualTo("javascript:alert");
        assertThat(Normalizer.text("&lt;script&gt;")).isEqualTo("<script>");
        assertThat(Normalizer.text("a=1&amp;b=2&c=3")).isEqualTo("a=1&amp;b=2&c=3");
    }

    @Test
    void log4jLookupsThatOnlyMakeTextAreCollapsed() {
        assertThat(Normalizer.text("${${lower:J}ndi:${upper:L}DAP://x/a}")).isEqualTo("${jndi:ldap://x/a}");
        assertThat(Normalizer.text("${${::-j}${::-n}${::-d}${::-i}:rmi://x}")).isEqualTo("${jndi:rmi://x}");
        assertThat(Normalizer.text("${${env:NOPE:-j}ndi:dns://x}")).isEqualTo("${jndi:dns://x}");
        assertThat(Normalizer.text("${${date:'j'}ndi:x}")).isEqualTo("${jndi:x}");
        assertThat(Normalizer.text("${env:USER}")).isEqualTo("${env:user}");
        assertThat(Normalizer.text("%24%7Bjndi%3Aldap%3A%2F%2Fx%7D")).isEqualTo("${jndi:ldap://x}");
    }

    @Test
    void unbalancedOrDeepLookupsDoNotBreakAnything() {
        assertThat(Normalizer.text("${${${a")).isEqualTo("${${${a");
        assertThat(Normalizer.text("}}}")).isEqualTo("}}}");
        String deep = "${".repeat(100) + "x" + "}".repeat(100);
        assertThat(Normalizer.text(deep)).isEqualTo(deep);
    }

    @Test
    void pathsAreResolvedLikeAServerDoes() {
        assertThat(Normalizer.path("/static/../.env")).isEqualTo("/.env");
        assertThat(Normalizer.path("/a/./b//c/../../.GIT/")).isEqualTo("/a/.git/");
        assertThat(Normalizer.path("/../../../etc/passwd")).isEqualTo("/etc/passwd");
        assertThat(Normalizer.path("/%2e%2e/%2E%2E/etc/passwd")).isEqualTo("/etc/passwd");
        assertThat(Normalizer.path("/app\\..\\web.config")).isEqualTo("/web.config");
        assertThat(Normalizer.path("/x/..;/manager/html")).isEqualTo("/manager/html");
        assertThat(Normalizer.path("/a+b/c")).isEqualTo("/a+b/c");
        assertThat(Normalizer.path("/")).isEqualTo("/");
        assertThat(Normalizer.path("/..")).isEqualTo("/");
    }
}
