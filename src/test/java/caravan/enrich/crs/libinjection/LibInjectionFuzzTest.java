package caravan.enrich.crs.libinjection;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz targets for both detectors and their tokenizers. The contract: no exception on any bytes,
 * every token lies inside the input, the tokenizers end after at most one token per byte, verdicts
 * are deterministic and agree with the fingerprint, and no single input takes long (a loose bound,
 * set far above the microseconds a fuzzer-sized input takes, that only a super-linear path breaks).
 *
 * <p>In the default test run Jazzer replays the seeds under
 * {@code src/test/resources/caravan/enrich/crs/libinjection/LibInjectionFuzzTestInputs/<method>/};
 * {@code JAZZER_FUZZ=1} fuzzes, e.g. {@code bench/fuzz.sh 5m LibInjectionFuzzTest#sqli}.
 */
class LibInjectionFuzzTest {
    private static final long MAX_NANOS_PER_INPUT = 2_000_000_000L;

    static {
        // Class loading and the data tables are not what the time bound is about.
        LibInjection.isSqli("1' or 1=1--");
        LibInjection.isXss("<a href=javascript:x>");
    }

    @FuzzTest
    void sqli(byte[] data) {
        long start = System.nanoTime();
        String fp = LibInjection.sqliFingerprint(data);
        assertThat(LibInjection.isSqli(data)).isEqualTo(fp != null);
        if (fp != null) {
            assertThat(fp).hasSizeBetween(1, SqlFolder.MAX).matches("[kUBEtfn1vso&cA(){}.,:;T?X\\\\]+");
            assertThat(LibInjection.sqliFingerprint(data)).isEqualTo(fp);
        }
        checkSqlTokens(data, (byte) 0, false);
        checkSqlTokens(data, (byte) '\'', true);
        checkFolding(data);
        assertThat(System.nanoTime() - start).as("time for %d bytes", data.length).isLessThan(MAX_NANOS_PER_INPUT);
    }

    @FuzzTest
    void xss(byte[] data) {
        long start = System.nanoTime();
        boolean xss = LibInjection.isXss(data);
        assertThat(LibInjection.isXss(data)).isEqualTo(xss);
        for (Html5Tokenizer.Start s : Html5Tokenizer.Start.values()) {
            Html5Tokenizer h = new Html5Tokenizer(data, s);
            int tokens = 0;
            while (h.next()) {
                assertThat(h.start).isBetween(0, data.length);
                assertThat(h.length).isBetween(0, data.length - h.start);
                assertThat(++tokens).isLessThanOrEqualTo(data.length + 1);
            }
        }
        assertThat(System.nanoTime() - start).as("time for %d bytes", data.length).isLessThan(MAX_NANOS_PER_INPUT);
    }

    private static void checkSqlTokens(byte[] data, byte quote, boolean mysql) {
        SqlTokenizer tokenizer = new SqlTokenizer(data);
        tokenizer.reset(quote, mysql);
        SqlToken t = new SqlToken();
        int tokens = 0;
        while (tokenizer.next(t)) {
            assertThat(t.type).isNotEqualTo(SqlTokenType.NONE);
            assertThat(t.pos).isBetween(0, data.length);
            assertThat(t.len).isBetween(0, Math.min(SqlToken.MAX_TEXT, data.length - t.pos));
            assertThat(++tokens).isLessThanOrEqualTo(data.length + 1);
        }
    }

    private static void checkFolding(byte[] data) {
        SqlTokenizer tokenizer = new SqlTokenizer(data);
        tokenizer.reset((byte) 0, false);
        SqlFolder folder = new SqlFolder(tokenizer);
        int n = folder.fold();
        // One more than MAX only when "{" meets an empty `` name: the input is then marked EVIL.
        assertThat(n).isBetween(0, SqlFolder.MAX + 1);
        if (n == SqlFolder.MAX + 1) {
            assertThat(folder.tokens[n - 1].type).isEqualTo(SqlTokenType.EVIL);
        }
    }
}
