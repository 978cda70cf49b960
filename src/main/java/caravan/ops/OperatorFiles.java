package caravan.ops;

import caravan.enrich.bot.BotRules;
import caravan.enrich.threat.ThreatRules;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * What {@code caravan check} verifies beyond the settings and the routes: every file the operator
 * points Caravan at. The bot and threat rule files are loaded as the enrichers load them, the GeoIP
 * databases, secret files and the CRS directory must be readable, and a secret written into a
 * properties file is refused (secrets come from files or the environment).
 */
final class OperatorFiles {
    /** Settings that name a directory Caravan reads when set. */
    private static final List<String> DIRECTORIES = List.of("caravan.enrich.crs.dir");

    private OperatorFiles() {
    }

    /**
     * @param settings  the merged settings (defaults, file, environment)
     * @param operator  the keys the operator set (file and environment), so a default path that is
     *                  not installed on this machine is a warning, an explicit one an error
     * @param warnings  receives the warnings
     * @return the errors, one line each naming the key
     */
    static List<String> check(Properties settings, Set<String> operator, List<String> warnings) {
        List<String> errors = new ArrayList<>();
        if (on(settings, "caravan.enrich.bots.enabled")) {
            rules(settings, "caravan.enrich.bots.file", f -> BotRules.load(f), errors);
        }
        if (on(settings, "caravan.enrich.threats.enabled")) {
            rules(settings, "caravan.enrich.threats.file", f -> ThreatRules.load(f), errors);
        }
        if (on(settings, "caravan.enrich.geoip.enabled")) {
            for (String key : List.of("caravan.enrich.geoip.city-db", "caravan.enrich.geoip.asn-db",
                    "caravan.enrich.geoip.anonymous-db")) {
                String v = value(settings, key);
                if (v != null && !Files.isReadable(Path.of(v))) {
                    String msg = key + " = " + v + ": no readable file there (install the database or set the key;"
                            + " caravan.enrich.geoip.enabled=false turns GeoIP off)";
                    (operator.contains(key) ? errors : warnings).add(msg);
                }
            }
        }
        for (String key : settings.stringPropertyNames()) {
            String v = value(settings, key);
            if (v == null) {
                continue;
            }
            if (key.startsWith("caravan.") && key.endsWith("-file") && isSecret(key.substring(0, key.length() - 5))
                    && !Files.isReadable(Path.of(v))) {
                errors.add(key + " = " + v + ": the secret file cannot be read");
            }
            if (DIRECTORIES.contains(key) && !(Files.isDirectory(Path.of(v)) && Files.isReadable(Path.of(v)))) {
                errors.add(key + " = " + v + ": not a readable directory");
            }
        }
        return errors;
    }


    private static boolean isSecret(String key) {
        return key.endsWith("password") || key.endsWith("api-key") || key.endsWith("token") || key.endsWith("secret");
    }

    private interface Loader {
        void load(String file);
    }

    private static void rules(Properties settings, String key, Loader loader, List<String> errors) {
        String file = value(settings, key);
        try {
            loader.load(file); // the built-in rules too: with the operator's, they must still compile
        } catch (IllegalArgumentException | java.io.UncheckedIOException e) { // RuleFileException too
            errors.add(key + (file == null ? " (built-in rules)" : " = " + file) + ": " + e.getMessage());
        }
    }

    private static boolean on(Properties settings, String key) {
        return Boolean.parseBoolean(settings.getProperty(key, "true").trim());
    }

    private static String value(Properties settings, String key) {
        String v = settings.getProperty(key);
        return v == null || v.isBlank() ? null : v.trim();
    }
}
