package caravan.api;

import caravan.common.TimeArgs;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Query parameters of one API call, parsed from the raw query string so that an unknown or
 * repeated parameter is refused instead of silently ignored (a typo in a filter would otherwise
 * return unfiltered results that look right).
 */
public final class Params {
    private final Map<String, String> values = new LinkedHashMap<>();

    public Params(String rawQuery, Set<String> allowed) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k;
            String v;
            try {
                k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new BadRequest("malformed query string: " + e.getMessage());
            }
            if (!allowed.contains(k)) {
                throw new BadRequest("unknown parameter '" + k + "': use " + String.join(", ", new TreeSet<>(allowed)));
            }
            if (values.put(k, v) != null) {
                throw new BadRequest("parameter '" + k + "' is given twice");
            }
        }
    }

    public String get(String key) {
        String v = values.get(key);
        return v == null || v.isBlank() ? null : v.trim();
    }

    public Map<String, String> all() {
        return values;
    }

    public int integer(String key, int otherwise, int min, int max) {
        String v = get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new BadRequest("parameter '" + key + "': " + n + " is out of range (" + min + " to " + max + ")");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest("parameter '" + key + "': '" + v + "' is not a whole number");
        }
    }

    public Instant time(String key, Instant otherwise, Instant now) {
        String v = get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            return TimeArgs.instant(v, now);
        } catch (IllegalArgumentException e) {
            throw new BadRequest("parameter '" + key + "': " + e.getMessage());
        }
    }
}
