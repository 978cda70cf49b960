package caravan.enrich.chain;

import java.util.function.Function;

/**
 * The {@code caravan.enrich.*} settings of the built-in enrichers, read once. A key that is unset
 * (null or blank) takes the default below, which is also the one in the jar's
 * {@code application.properties}: an enricher is on unless switched off. CRS reads its own
 * {@code caravan.enrich.crs.*} keys ({@code CrsSettings}).
 *
 * @param geoipCityDb      MaxMind City database; the ASN and anonymous-IP ones are optional
 * @param rulesReloadSeconds how often an operator's bot or threat rule file is checked for changes
 */
public record EnrichSettings(boolean geoip, String geoipCityDb, String geoipAsnDb, String geoipAnonymousDb,
                             long geoipCacheSize, long geoipReloadCheckSeconds,
                             boolean useragent, long useragentCacheSize,
                             boolean bots, String botsFile, long botsCacheSize,
                             boolean threats, String threatsFile, long threatsCacheSize,
                             long rulesReloadSeconds) {

    private static final long CACHE = 10_000;

    public static EnrichSettings from(Function<String, String> setting) {
        Values v = new Values(setting);
        return new EnrichSettings(v.on("geoip"), v.text("geoip.city-db"), v.text("geoip.asn-db"),
                v.text("geoip.anonymous-db"), v.number("geoip.cache-size", CACHE),
                v.number("geoip.reload-check-seconds", 60),
                v.on("useragent"), v.number("useragent.cache-size", CACHE),
                v.on("bots"), v.text("bots.file"), v.number("bots.cache-size", CACHE),
                v.on("threats"), v.text("threats.file"), v.number("threats.cache-size", CACHE),
                v.number("rules-reload-seconds", 5));
    }

    /** Lookups under {@code caravan.enrich.}, unset meaning the default. */
    private record Values(Function<String, String> setting) {
        String text(String key) {
            return setting.apply("caravan.enrich." + key);
        }

        boolean on(String name) {
            String v = text(name + ".enabled");
            return v == null || v.isBlank() || Boolean.parseBoolean(v.trim());
        }

        long number(String key, long otherwise) {
            String v = text(key);
            return v == null || v.isBlank() ? otherwise : Long.parseLong(v.trim());
        }
    }
}
