package caravan.ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Caravan's settings for the one-shot commands (replay, indices) that run without Camel: the jar's
 * defaults, then the operator's file, then {@code CARAVAN_*} environment variables, validated the
 * same way as at start-up.
 */
public final class Settings {
    private final Properties values;

    private Settings(Properties values) {
        this.values = values;
    }

    /** @param config the operator's file, or null for none (./application.properties when present) */
    public static Settings load(Path config) {
        return load(RunCommand.configOrDefault(config), System.getenv());
    }

    static Settings load(Path config, Map<String, String> env) {
        ConfigValidator validator = new ConfigValidator();
        Properties p = ConfigValidator.loadDefaults();
        List<String> errors = new ArrayList<>();
        if (config != null) {
            if (!Files.isRegularFile(config)) {
                throw new IllegalArgumentException("configuration file " + config + " does not exist");
            }
            Properties file = new Properties();
            try (InputStream in = Files.newInputStream(config)) {
                file.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read configuration file " + config + ": " + e.getMessage(), e);
            }
            Map<String, String> m = new java.util.TreeMap<>();
            file.stringPropertyNames().forEach(k -> m.put(k, file.getProperty(k)));
            errors.addAll(validator.validateFile(m, config.toString()));
            p.putAll(m);
        }
        Map<String, String> fromEnv = validator.fromEnvironment(env).settingsLoggingWarning();
        errors.addAll(validator.validate(fromEnv, "the environment"));
        p.putAll(fromEnv);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("configuration errors:\n  " + String.join("\n  ", errors));
        }
        return new Settings(p);
    }

    public String get(String key) {
        String v = values.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("setting " + key + " is missing");
        }
        return v.trim();
    }

    /** The value, or "" when the key is unset (the defaults set every key Caravan reads). */
    public String getOrEmpty(String key) {
        String v = values.getProperty(key);
        return v == null ? "" : v.trim();
    }

    public int getInt(String key) {
        return Integer.parseInt(get(key));
    }
}
