package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.Metrics;
import caravan.enrich.Enricher;
import caravan.enrich.ReloadingEnricher;
import caravan.enrich.chain.Enrichers;
import caravan.event.LogEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CRS rules, their data files and the exclusion files reload while Caravan runs; a broken edit keeps the rules in force. */
class CrsReloadTest {
    @TempDir
    Path dir;

    private static final String SCORE = "msg:'test rule',setvar:'tx.inbound_anomaly_score_pl1=+5'";

    @Test
    void anEditedRuleFileTakesOverAndABrokenEditKeepsTheRuleSetAndSaysWhere() throws Exception {
        Path rules = dir.resolve("rules.conf");
        Files.writeString(rules, "SecRule ARGS \"@contains shopadmin\" \"id:1,phase:2,block," + SCORE + "\"\n");
        ReloadingEnricher crs = crs(Map.of());
        assertThat(fired(crs, "/?a=shopadmin")).isEqualTo(List.of("1"));
        assertThat(fired(crs, "/?a=backoffice")).isNull();

        Files.writeString(rules, "SecRule ARGS \"@contains backoffice\" \"id:2,phase:2,block," + SCORE + "\"\n");
        touch(rules, 2_000);
        assertThat(crs.reloadIfChanged()).isTrue();
        assertThat(fired(crs, "/?a=backoffice")).isEqualTo(List.of("2"));
        assertThat(fired(crs, "/?a=shopadmin")).isNull();

        double failures = failures();
        Files.writeString(rules, "# a comment\n\nSecRule ARGS \"@contains x\" \"id:3,phase:2,block,frobnicate\"\n");
        touch(rules, 4_000);
        assertThat(crs.reloadIfChanged()).isFalse();
        assertThat(crs.lastError()).isEqualTo("rules.conf:3: unknown action 'frobnicate'");
        assertThat(failures()).isEqualTo(failures + 1);
        assertThat(Metrics.enrichRulesRefused()).contains("crs");
        assertThat(fired(crs, "/?a=backoffice")).isEqualTo(List.of("2")); // the rules in force stay
        assertThat(crs.reloadIfChanged()).isFalse(); // the same broken files are reported once
        assertThat(failures()).isEqualTo(failures + 1);

        Files.writeString(rules, "SecRule ARGS \"@contains x\" \"id:3,phase:2,block," + SCORE + "\"\n");
        touch(rules, 6_000);
        assertThat(crs.reloadIfChanged()).isTrue();
        assertThat(crs.lastError()).isNull();
        assertThat(Metrics.enrichRulesRefused()).doesNotContain("crs");
        assertThat(fired(crs, "/?a=x")).isEqualTo(List.of("3"));
    }

    @Test
    void aNewDataFileEntryAndAnExclusionFileEditTakeEffect() throws Exception {
        Files.writeString(dir.resolve("rules.conf"), "SecRule ARGS \"@pmFromFile words.data\" \"id:10,phase:2,block," + SCORE + "\"\n"
                + "SecRule ARGS \"@contains probe\" \"id:11,phase:2,block," + SCORE + "\"\n");
        Path words = dir.resolve("words.data");
        Files.writeString(words, "alpha\n");
        Path exclusions = Files.createDirectory(dir.resolve("local")).resolve("exclusions.conf");
        Files.writeString(exclusions, "# none yet\n");
        ReloadingEnricher crs = crs(Map.of("caravan.enrich.crs.exclusions-after", exclusions.toString()));
        assertThat(fired(crs, "/?a=beta")).isNull();
        assertThat(fired(crs, "/?a=probe")).isEqualTo(List.of("11"));

        Files.writeString(words, "alpha\nbeta\n");
        touch(words, 2_000);
        assertThat(crs.reloadIfChanged()).isTrue();
        assertThat(fired(crs, "/?a=beta")).isEqualTo(List.of("10"));

        Files.writeString(exclusions, "SecRuleRemoveById 11\n");
        touch(exclusions, 4_000);
        assertThat(crs.reloadIfChanged()).isTrue();
        assertThat(fired(crs, "/?a=probe")).isNull();

        Files.writeString(exclusions, "SecRuleRemoveById 11\nSecRuleUpdateTargetById 10\n");
        touch(exclusions, 6_000);
        assertThat(crs.reloadIfChanged()).isFalse();
        assertThat(crs.lastError()).startsWith("exclusions.conf:2: ");
        assertThat(fired(crs, "/?a=beta")).isEqualTo(List.of("10"));
    }

    private ReloadingEnricher crs(Map<String, String> more) {
        Map<String, String> s = new HashMap<>(more);
        s.putAll(Map.of("caravan.enrich.crs.dir", dir.toString(), "caravan.enrich.geoip.enabled", "false",
                "caravan.enrich.useragent.enabled", "false", "caravan.enrich.bots.enabled", "false",
                "caravan.enrich.rules-reload-seconds", "1"));
        List<Enricher> chain = Enrichers.fromSettings(s::get);
        assertThat(chain).singleElement().isInstanceOf(ReloadingEnricher.class);
        return (ReloadingEnricher) chain.get(0);
    }

    private static double failures() {
        return Metrics.registry().counter("caravan.enrich.rules.reload.failures", "enricher", "crs").count();
    }

    private static void touch(Path f, long later) throws Exception {
        Files.setLastModifiedTime(f, FileTime.fromMillis(System.currentTimeMillis() + later));
    }

    /** The CRS rule ids a GET of {@code target} fires, or null for none. */
    private static Object fired(Enricher crs, String target) {
        LogEvent e = new LogEvent();
        e.method = "GET";
        e.urlOriginal = target;
        e.httpVersion = "1.1";
        e.userAgent = "curl";
        crs.enrich(e);
        return e.get("caravan.threat.crs.rule_ids");
    }
}
