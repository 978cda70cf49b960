package caravan.enrich.chain;

import caravan.enrich.Enricher;
import caravan.enrich.ReloadingEnricher;
import caravan.enrich.bot.BotEnricher;
import caravan.enrich.bot.BotRules;
import caravan.enrich.crs.CrsEnricher;
import caravan.enrich.crs.CrsSettings;
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
        return build(EnrichSettings.from(setting), setting);
    }

    /** @param crsSetting looks up the {@code caravan.enrich.crs.*} keys, which CRS reads itself */
    public static List<Enricher> build(EnrichSettings s, Function<String, String> crsSetting) {
        List<Enricher> out = new ArrayList<>();
        if (s.geoip()) {
            out.add(new GeoIpEnricher(s.geoipCityDb(), s.geoipAsnDb(), s.geoipAnonymousDb(), s.geoipCacheSize(),
                    TimeUnit.SECONDS.toMillis(s.geoipReloadCheckSeconds())));
        }
        if (s.useragent()) {
            out.add(new UserAgentEnricher(s.useragentCacheSize()));
        }
        if (s.bots()) {
            String file = s.botsFile();
            long cache = s.botsCacheSize();
            out.add(reloading("bots", file, s, () -> new BotEnricher(BotRules.load(file), cache)));
        }
        if (s.threats()) {
            // With a CRS directory, CRS decides the threat fields; without one the built-in rules do.
            CrsEnricher crs = CrsSettings.enricher(crsSetting);
            String file = s.threatsFile();
            long cache = s.threatsCacheSize();
            out.add(crs != null ? reloadingCrs(crs, s, crsSetting)
                    : reloading("threats", file, s, () -> new ThreatEnricher(ThreatRules.load(file), cache)));
        }
        return out;
    }

    /**
     * CRS as loaded, rebuilt when a file of its rules directory or an exclusion file changes (same
     * interval as the other rule files): a broken edit keeps the rule set in force, names the file
     * and line, and counts, as for bots.yaml and threats.yaml.
     */
    private static Enricher reloadingCrs(CrsEnricher crs, EnrichSettings s, Function<String, String> crsSetting) {
        return new ReloadingEnricher("crs", Path.of(crsSetting.apply("caravan.enrich.crs.dir").strip()),
                TimeUnit.SECONDS.toMillis(s.rulesReloadSeconds()), () -> CrsSettings.enricher(crsSetting),
                () -> CrsSettings.stamp(crsSetting), crs);
    }

    /** The built-in rules alone never change; an operator's file is watched (caravan.enrich.rules-reload-seconds). */
    private static Enricher reloading(String name, String file, EnrichSettings s, Supplier<Enricher> build) {
        if (file == null || file.isBlank()) {
            return build.get();
        }
        return new ReloadingEnricher(name, Path.of(file.trim()), TimeUnit.SECONDS.toMillis(s.rulesReloadSeconds()), build);
    }
}
