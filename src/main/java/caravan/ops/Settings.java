package caravan.ops;

import caravan.alert.AlertSettings;
import caravan.alert.NotifierSettings;
import caravan.api.ApiSettings;
import caravan.common.SettingValues;
import caravan.index.IndexSettings;
import caravan.ship.ShipSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Caravan's settings, loaded and validated in one place for the runtime, {@code check} and the
 * one-shot commands: the jar's defaults, then the operator's file, then properties given by the
 * caller, then {@code CARAVAN_*} environment variables. The stages take them as typed records
 * ({@link #ship()}, {@link #index()}, {@link #alert()}, {@link #api()}); YAML routes keep Camel's placeholders,
 * which resolve the same keys in the same order.
 */
public final class Settings {
    private final Properties values;
    private final String environmentWarning;

    private Settings(Properties values, String environmentWarning) {
        this.values = values;
        this.environmentWarning = environmentWarning;
    }

    /** One line about {@code CARAVAN_*} variables that name no setting (ignored), or null. */
    public String environmentWarning() {
        return environmentWarning;
    }

    /** @param config the operator's file, or null for none (./application.properties when present) */
    public static Settings load(Path config) {
        return load(RunCommand.configOrDefault(config), null, System.getenv());
    }

    static Settings load(Path config, Map<String, String> env) {
        return load(config, null, env);
    }

    /**
     * @param extra properties that win over the file (the demo and tests set servers here), or null
     * @throws IllegalArgumentException naming every unknown key and bad value
     */
    public static Settings load(Path config, Properties extra, Map<String, String> env) {
        List<String> errors = new ArrayList<>();
        Settings s = read(config, extra, env, errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("configuration errors:\n  " + String.join("\n  ", errors));
        }
        if (s.environmentWarning != null) {
            org.slf4j.LoggerFactory.getLogger(Settings.class).warn(s.environmentWarning);
        }
        return s;
    }

    /** Like {@link #load(Path, Properties, Map)}, but adds each problem to {@code errors}: for {@code check}. */
    static Settings read(Path config, Properties extra, Map<String, String> env, List<String> errors) {
        Properties defaults = ConfigValidator.loadDefaults();
        ConfigValidator validator = new ConfigValidator(defaults);
        Properties p = new Properties();
        p.putAll(defaults);
        if (config != null) {
            Properties file = new Properties();
            try (InputStream in = Files.newInputStream(config)) {
                file.load(in);
                Map<String, String> m = asMap(file);
                errors.addAll(validator.validateFile(m, config.toString()));
                p.putAll(m);
            } catch (IOException e) {
                errors.add("configuration file " + config + (Files.exists(config) ? " cannot be read: " + e.getMessage()
                        : " does not exist"));
            }
        }
        if (extra != null) {
            Map<String, String> m = asMap(extra);
            errors.addAll(validator.validate(m, "the command line"));
            p.putAll(m);
        }
        ConfigValidator.Environment environment = validator.fromEnvironment(env);
        errors.addAll(validator.validate(environment.settings(), "the environment"));
        p.putAll(environment.settings());
        if (errors.isEmpty()) {
            errors.addAll(KafkaClients.problems(p));
        }
        return new Settings(p, environment.warning());
    }

    private static Map<String, String> asMap(Properties p) {
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }

    public ShipSettings ship() {
        return ShipSettings.from(this::value);
    }

    public IndexSettings index() {
        return IndexSettings.from(this::value);
    }

    public caravan.enrich.chain.EnrichSettings enrich() {
        return caravan.enrich.chain.EnrichSettings.from(this::value);
    }

    public AlertSettings alert() {
        return AlertSettings.from(this::value);
    }

    public NotifierSettings notifiers() {
        return NotifierSettings.from(this::value);
    }

    /** The analyser runs where alerts are on and the process indexes (a ship-only one has no search engine to ask). */
    public boolean analysing() {
        return new SettingValues(this::value).bool("caravan.alert.enabled") && index().enabled();
    }

    public ApiSettings api() {
        return ApiSettings.from(this::value);
    }

    /** The trimmed value; a missing key is a bug (the defaults set every key) and says so. */
    public String get(String key) {
        return new SettingValues(this::value).string(key);
    }

    /** The value, or "" when the key is unset (the defaults set every key Caravan reads). */
    public String getOrEmpty(String key) {
        String v = values.getProperty(key);
        return v == null ? "" : v.trim();
    }

    /** The value as given, or null when unset. */
    public String value(String key) {
        return values.getProperty(key);
    }

    public int getInt(String key) {
        return new SettingValues(this::value).integer(key);
    }

    /** All of them, for a Camel context that resolves placeholders without running (check). */
    public Properties properties() {
        Properties copy = new Properties();
        copy.putAll(values);
        return copy;
    }
}
