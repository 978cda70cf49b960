package caravan.enrich.crs;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The engine's parts built with the default regex-compile deadline, as the tests need them; production passes the configured one. */
final class CrsTestDefaults {
    static final long MILLIS = RegexCompiler.DEFAULT_TIMEOUT_MILLIS;

    private CrsTestDefaults() {
    }

    static KeyRegex keyRegex(String body) {
        return new KeyRegex(body, MILLIS);
    }

    static com.google.re2j.Pattern regex(String pattern) {
        return Operators.regex(pattern, MILLIS);
    }

    static RuleLoader loader(Detectors detectors, Set<String> headers) {
        return new RuleLoader(detectors, headers, MILLIS);
    }

    static CrsRuleSet load(Path dir, List<Path> before, List<Path> after, Detectors detectors, Set<String> headers,
            Exclusions exclusions) {
        return CrsRuleSet.load(dir, before, after, detectors, headers, exclusions, MILLIS);
    }
}
