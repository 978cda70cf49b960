package caravan.enrich.crs.libinjection;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The public API: Strings are the UTF-8 bytes, null is no attack, the fingerprint matches the verdict. */
class LibInjectionApiTest {
    private static final List<String> INPUTS = List.of("1' or '1'='1", "-1 UNION ALL SELECT NULL--", "héllo wörld",
            "<script>alert(1)</script>", "<a href=\"jav&#x61;script:x\">", "O'Reilly", "plain text", "１' ｏｒ 1=1");

    @Test
    void stringsAreDetectedAsTheirUtf8Bytes() {
        for (String s : INPUTS) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            assertThat(LibInjection.sqliFingerprint(s)).as(s).isEqualTo(LibInjection.sqliFingerprint(utf8));
            assertThat(LibInjection.isSqli(s)).as(s).isEqualTo(LibInjection.sqliFingerprint(s) != null);
            assertThat(LibInjection.isXss(s)).as(s).isEqualTo(LibInjection.isXss(utf8));
        }
        assertThat(LibInjection.isSqli("1' or '1'='1")).isTrue();
        assertThat(LibInjection.isXss("<script>alert(1)</script>")).isTrue();
        assertThat(LibInjection.isSqli("O'Reilly")).isFalse();
        assertThat(LibInjection.isXss("plain text")).isFalse();
    }

    @Test
    void nullAndEmptyAreNoAttack() {
        assertThat(LibInjection.isSqli((String) null)).isFalse();
        assertThat(LibInjection.sqliFingerprint((String) null)).isNull();
        assertThat(LibInjection.isXss((String) null)).isFalse();
        assertThat(LibInjection.isSqli("")).isFalse();
        assertThat(LibInjection.isXss("")).isFalse();
    }
}
