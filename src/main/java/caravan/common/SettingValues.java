package caravan.common;

import java.time.Duration;
import java.util.function.Function;

/**
 * Reads typed values from resolved settings, for the stages' settings records. Every key has its
 * default in the jar's application.properties, so a missing key is a bug and said so; a bad value
 * names its key.
 */
public final class SettingValues {
    private final Function<String, String> setting;

    /** @param setting looks a key up in the resolved settings (defaults, file, environment) */
    public SettingValues(Function<String, String> setting) {
        this.setting = setting;
    }

    /** The trimmed value; "" stays "" (an optional setting left empty). */
    public String string(String key) {
        String v = setting.apply(key);
        if (v == null) {
            throw new IllegalArgumentException("setting '" + key + "' is missing (the defaults in application.properties set it)");
        }
        return v.trim();
    }

    /** The value as given, untrimmed, or null when unset: for secrets and optional files. */
    public String raw(String key) {
        return setting.apply(key);
    }

    public boolean bool(String key) {
        return Boolean.parseBoolean(string(key));
    }

    public long number(String key) {
        return parsed(key, Long::parseLong, "a whole number");
    }

    public int integer(String key) {
        return Math.toIntExact(number(key));
    }

    public float decimal(String key) {
        return parsed(key, Float::parseFloat, "a number");
    }

    private <T> T parsed(String key, Function<String, T> parse, String what) {
        String v = string(key);
        try {
            return parse.apply(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad value for '" + key + "': '" + v + "' is not " + what, e);
        }
    }

    /** A whole number of at least 1. */
    public long positive(String key) {
        return atLeast(key, 1, "at least 1");
    }

    /** A whole number of 0 or more. */
    public long nonNegative(String key) {
        return atLeast(key, 0, "0 or more");
    }

    private long atLeast(String key, long min, String words) {
        long v = number(key);
        if (v < min) {
            throw new IllegalArgumentException("bad value for '" + key + "': " + v + " must be " + words);
        }
        return v;
    }

    public Duration seconds(String key) {
        return Duration.ofSeconds(number(key));
    }

    public Duration positiveSeconds(String key) {
        return Duration.ofSeconds(positive(key));
    }
}
