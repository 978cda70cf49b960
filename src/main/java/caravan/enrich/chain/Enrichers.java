package caravan.enrich.chain;

import caravan.enrich.Enricher;
import caravan.enrich.ReloadingEnricher;
import caravan.enrich.bot.BotEnricher;
import caravan.enrich.bot.BotRules;
import caravan.enrich.geo.GeoIpEnricher;
import caravan.enrich.threat.ThreatEnricher;
import caravan.enrich.threat.ThreatRules;
import caravan.enrich.ua.UserAgentEnricher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The enrichers the index route runs, in order, from the {@code caravan.enrich.*} settings: each
 * one switched by {@code caravan.enrich.<name>.enabled}. Building them loads what they need (GeoIP
 * readers, YAUAA's matchers, the bot and threat rule files), so a broken rule file stops start-up
 * here, with its file, line and reason.
 */
public final class Enrichers {
    private Enrichers() {
    }

    /**
     * @param setting looks a key up; null or blank means unset (the jar's defaults set them all)
     */
    public static List<Enricher> fromSettings(Function<String, String> setting) {
        List<Enricher> out = new ArrayList<>();
        if (enabled(setting, "geoip")) {
            out.add(new GeoIpEnricher(setting.apply("caravan.enrich.geoip.city-db"),
                    setting.apply("caravan.enrich.geoip.asn-db"),
                    setting.apply("caravan.enrich.geoip.anonymous-db"),
                    number(setting, "caravan.enrich.geoip.cache-size", 10_000),
                    TimeUnit.SECONDS.toMillis(number(setting, "caravan.enrich.geoip.reload-check-seconds", 60))));
        }
        if (enabled(setting, "useragent")) {
            out.add(new UserAgentEnricher(number(setting, "caravan.enrich.useragent.cache-size", 10_000)));
        }
        if (enabled(setting, "bots")) {
            String file = setting.apply("caravan.enrich.bots.file");
            long cache = number(setting, "caravan.enrich.bots.cache-size", 10_000);
            out.add(reloading("bots", file, setting, () -> new BotEnricher(BotRules.load(file), cache)));
        }
        if (enabled(setting, "threats")) {
            String file = setting.apply("caravan.enrich.threats.file");
            long cache = number(setting, "caravan.enrich.threats.cache-size", 10_000);
            out.add(reloading("threats", file, setting, () -> new ThreatEnricher(ThreatRules.load(file), cache)));
        }
        return out;
    }

    /** The built-in rules alone never change; an operator's file is watched (caravan.enrich.rules-reload-seconds). */
    private static Enricher reloading(String name, String file, Function<String, String> setting, Supplier<Enricher> build) {
        if (file == null || file.isBlank()) {
            return build.get();
        }
        long seconds = number(setting, "caravan.enrich.rules-reload-seconds", 5);
        return new ReloadingEnricher(name, Path.of(file.trim()), TimeUnit.SECONDS.toMillis(seconds), build);
    }

    private static boolean enabled(Function<String, String> setting, String name) {
        String v = setting.apply("caravan.enrich." + name + ".enabled");
        return v == null || v.isBlank() || Boolean.parseBoolean(v.trim());
    }

    private static long number(Function<String, String> setting, String key, long otherwise) {
        String v = setting.apply(key);
        return v == null || v.isBlank() ? otherwise : Long.parseLong(v.trim());
    }
}
