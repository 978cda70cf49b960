package caravan.enrich.crs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Builds the CRS enricher from the {@code caravan.enrich.crs.*} settings. */
public final class CrsSettings {
    private CrsSettings() {
    }

    /** The CRS enricher, or null when {@code caravan.enrich.crs.dir} is unset (the built-in rules apply). */
    public static CrsEnricher enricher(Function<String, String> setting) {
        String dir = value(setting, "caravan.enrich.crs.dir", "");
        if (dir.isEmpty()) {
            return null;
        }
        Path rules = Path.of(dir);
        if (!Files.isDirectory(rules)) {
            throw new CrsException("caravan.enrich.crs.dir " + rules + " is not a directory: point it at CRS's rules/");
        }
        int pl = integer(setting, "caravan.enrich.crs.paranoia-level", 1);
        int threshold = integer(setting, "caravan.enrich.crs.inbound-threshold", 5);
        List<String> headers = new ArrayList<>();
        for (String h : value(setting, "caravan.enrich.crs.headers", "User-Agent,Referer").split(",")) {
            if (!h.isBlank()) {
                headers.add(h.strip().toLowerCase(Locale.ROOT));
            }
        }
        Exclusions exclusions = Exclusions.parse(setting.apply("caravan.enrich.crs.exclude-ids"),
                setting.apply("caravan.enrich.crs.exclude-tags"), setting.apply("caravan.enrich.crs.exclude-targets"));
        CrsRuleSet set = CrsRuleSet.load(rules, files(setting, "caravan.enrich.crs.exclusions-before"),
                files(setting, "caravan.enrich.crs.exclusions-after"), Detectors.libinjection(), new HashSet<>(headers),
                exclusions, integer(setting, "caravan.enrich.crs.regex-compile-timeout-ms",
                        (int) RegexCompiler.DEFAULT_TIMEOUT_MILLIS));
        long cache = integer(setting, "caravan.enrich.crs.cache-size", 10_000);
        int branches = integer(setting, "caravan.enrich.crs.branch-cache-size", CrsEngine.DEFAULT_BRANCHES);
        CrsEngine engine = new CrsEngine(set, pl, threshold, setvars(setting.apply("caravan.enrich.crs.setvars")), cache,
                branches);
        return new CrsEnricher(engine, List.copyOf(headers), threshold);
    }

    /**
     * What tells an edit of the rule set: every file of {@code caravan.enrich.crs.dir} (rules and
     * their data files) and the exclusion files, by name, size and modification time; null when the
     * directory cannot be listed just now. Read by the CRS enricher's reload check.
     */
    public static String stamp(Function<String, String> setting) {
        List<Path> watched = new ArrayList<>();
        try (java.util.stream.Stream<Path> s = Files.list(Path.of(value(setting, "caravan.enrich.crs.dir", "")))) {
            s.filter(Files::isRegularFile).sorted().forEach(watched::add);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
        for (String key : List.of("caravan.enrich.crs.exclusions-before", "caravan.enrich.crs.exclusions-after")) {
            for (String f : value(setting, key, "").split(",")) {
                if (!f.isBlank()) {
                    watched.add(Path.of(f.strip()));
                }
            }
        }
        return caravan.common.ReloadableFile.stamp(watched);
    }

    private static List<Path> files(Function<String, String> setting, String key) {
        List<Path> out = new ArrayList<>();
        for (String f : value(setting, key, "").split(",")) {
            if (!f.isBlank()) {
                Path p = Path.of(f.strip());
                if (!Files.isReadable(p)) {
                    throw new CrsException(key + ": cannot read " + p);
                }
                out.add(p);
            }
        }
        return out;
    }

    /** {@code name=value, name=value}: TX values as crs-setup.conf's setvar would set them. */
    static Map<String, String> setvars(String text) {
        Map<String, String> out = new HashMap<>();
        if (text == null) {
            return out;
        }
        for (String pair : text.split(",")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CrsException("caravan.enrich.crs.setvars: '" + pair.strip() + "' is not name=value");
            }
            String name = pair.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            out.put(name.startsWith("tx.") ? name.substring(3) : name, pair.substring(eq + 1).strip());
        }
        return out;
    }

    private static String value(Function<String, String> setting, String key, String otherwise) {
        String v = setting.apply(key);
        return v == null || v.isBlank() ? otherwise : v.strip();
    }

    private static int integer(Function<String, String> setting, String key, int otherwise) {
        String v = value(setting, key, "");
        try {
            return v.isEmpty() ? otherwise : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new CrsException(key + " must be a whole number, not '" + v + "'");
        }
    }
}
