package caravan.api;

import caravan.common.Secrets;
import caravan.common.SettingValues;
import java.util.function.Function;

/**
 * The settings the REST API needs, read once at start-up.
 *
 * @param enabled    caravan.api.enabled, and an indexing process (a ship-only one has no search engine to ask)
 * @param served     caravan.http.enabled: the API is served by the metrics and health server
 * @param token      the bearer token (caravan.api.token or -file), null for none
 * @param maxSize    the most hits or rows one call returns
 * @param logIndices where the log search looks (caravan.alert.source-indices)
 */
public record ApiSettings(boolean enabled, boolean served, String token, int maxSize, String logIndices,
        String host, String port) {

    public static ApiSettings from(Function<String, String> prop) {
        SettingValues s = new SettingValues(prop);
        return new ApiSettings(s.bool("caravan.api.enabled") && s.bool("caravan.index.enabled"),
                s.bool("caravan.http.enabled"),
                Secrets.secret(s.raw("caravan.api.token"), s.raw("caravan.api.token-file")),
                (int) s.positive("caravan.api.max-size"), s.string("caravan.alert.source-indices"),
                s.string("caravan.http.host"), s.string("caravan.http.port"));
    }
}
