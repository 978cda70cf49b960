package caravan.enrich.crs;

import caravan.event.LogEvent;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Fuzz tests of the CRS engine, its transformations and the rule-file reader. The contract: the
 * engine and every transformation throw nothing and stay bounded (output at most a fixed multiple
 * of the input); the reader throws nothing but {@link CrsException}. In the default test run the
 * seeds under {@code CrsFuzzTestInputs/<method>/} are replayed; {@code bench/fuzz.sh
 * CrsFuzzTest#engine} fuzzes.
 */
class CrsFuzzTest {
    private static final List<String> TRANSFORMS = List.of("urlDecodeUni", "urlDecode", "htmlEntityDecode", "jsDecode",
            "cssDecode", "escapeSeqDecode", "utf8toUnicode", "cmdLine", "compressWhitespace", "removeWhitespace",
            "removeNulls", "replaceComments", "removeComments", "removeCommentsChar", "normalizePath",
            "normalizePathWin", "base64Decode", "hexDecode", "sqlHexDecode", "lowercase", "trim", "length");
    private static CrsEngine engine;

    private static synchronized CrsEngine engine() {
        if (engine == null) {
            engine = new CrsEngine(CrsFixtures.rules(), 4, 5);
        }
        return engine;
    }

    @FuzzTest
    void engine(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        String[] parts = Arrays.copyOf(text.split("\n", 3), 3);
        LogEvent e = new LogEvent();
        e.method = "GET";
        e.urlOriginal = parts[0];
        e.httpVersion = "1.1";
        e.userAgent = parts[1];
        e.referrer = parts[2];
        engine().evaluate(RequestData.of(e, CrsFixtures.HEADERS));
    }

    @FuzzTest
    void transformations(byte[] data) {
        String bytes = new String(data, StandardCharsets.ISO_8859_1);
        for (String name : TRANSFORMS) {
            String out = Transforms.named(name.toLowerCase(Locale.ROOT)).apply(bytes);
            if (out.length() > 8 * bytes.length() + 16) {
                throw new IllegalStateException(name + " grew " + bytes.length() + " to " + out.length());
            }
        }
        RegexLiterals.required(bytes);
    }

    @FuzzTest
    void ruleReader(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            RuleLoader loader = new RuleLoader(Detectors.NONE, java.util.Set.of("user-agent"));
            for (SecLangReader.Directive d : SecLangReader.parse(Path.of("fuzz.conf"), text.lines().toList())) {
                if (d.name().equalsIgnoreCase("SecRule") || d.name().equalsIgnoreCase("SecAction")) {
                    loader.add(d);
                }
            }
        } catch (CrsException expected) {
            // the documented failure: file, line and reason
        }
    }
}
