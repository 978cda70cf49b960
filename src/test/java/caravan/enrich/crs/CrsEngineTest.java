package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.event.LogEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine on small hand-written rule files: structure, scoring, exclusions, errors. */
class CrsEngineTest {
    @TempDir
    Path dir;

    private static final String SCORE = "msg:'test rule',setvar:'tx.inbound_anomaly_score_pl1=+5'";

    private CrsEnricher enricher(String rules, Map<String, String> more) throws Exception {
        Files.writeString(dir.resolve("rules.conf"), rules);
        java.util.HashMap<String, String> s = new java.util.HashMap<>(more);
        s.put("caravan.enrich.crs.dir", dir.toString());
        return CrsSettings.enricher(s::get);
    }

    static LogEvent request(String target, String userAgent) {
        LogEvent e = new LogEvent();
        e.method = "GET";
        e.urlOriginal = target;
        e.httpVersion = "1.1";
        e.userAgent = userAgent;
        return e;
    }

    @Test
    void aMatchScoresAndFillsTheThreatFieldsFromTheRuleTags() throws Exception {
        CrsEnricher crs = enricher("SecRule ARGS \"@rx (?i)union\\s+select\" \\\n  \"id:1001,phase:2,block,t:none,t:urlDecodeUni,"
                + "severity:'CRITICAL',tag:'attack-sqli'," + SCORE + "\"\n", Map.of());
        LogEvent e = request("/a?q=1%20UNION%20%20select%201", "curl");
        crs.enrich(e);
        assertThat(e.get("caravan.threat.detected")).isEqualTo(true);
        assertThat(e.get("caravan.threat.crs.rule_ids")).isEqualTo(List.of("1001"));
        assertThat(e.get("caravan.threat.crs.anomaly_score")).isEqualTo(5);
        assertThat(e.get("caravan.threat.categories")).isEqualTo(List.of("sql_injection"));
        assertThat(e.get("caravan.threat.severity")).isEqualTo("critical");
        LogEvent clean = request("/a?q=union", "curl");
        crs.enrich(clean);
        assertThat(clean.get("caravan.threat.detected")).isEqualTo(false);
        assertThat(clean.get("caravan.threat.crs.rule_ids")).isNull();
    }

    @Test
    void chainsNeedEveryLinkAndSkipAfterJumpsPastTheMarker() throws Exception {
        String rules = """
                SecRule TX:DETECTION_PARANOIA_LEVEL "@lt 2" "id:10,phase:1,pass,nolog,skipAfter:END-PL2"
                SecRule REQUEST_FILENAME "@endsWith .php" "id:11,phase:1,block,chain,%s"
                    SecRule ARGS_NAMES "@streq cmd" "t:none"
                SecMarker END-PL2
                SecRule REQUEST_HEADERS:User-Agent "@pm sqlmap nikto" "id:12,phase:1,block,%s"
                """.formatted(SCORE, SCORE);
        CrsEnricher pl1 = enricher(rules, Map.of());
        LogEvent e = request("/x.php?cmd=ls", "sqlmap/1.0");
        pl1.enrich(e);
        assertThat(e.get("caravan.threat.crs.rule_ids")).isEqualTo(List.of("12"));
        CrsEnricher pl2 = enricher(rules, Map.of("caravan.enrich.crs.paranoia-level", "2"));
        LogEvent both = request("/x.php?cmd=ls", "sqlmap/1.0");
        pl2.enrich(both);
        assertThat(both.get("caravan.threat.crs.rule_ids")).isEqualTo(List.of("11", "12"));
        assertThat(both.get("caravan.threat.crs.anomaly_score")).isEqualTo(10);
        LogEvent half = request("/x.php?other=ls", "curl");
        pl2.enrich(half);
        assertThat(half.get("caravan.threat.crs.rule_ids")).isNull();
    }

    @Test
    void exclusionsByIdTagTargetAndCtlTakeRulesOrValuesAway() throws Exception {
        String rules = """
                SecRule REQUEST_FILENAME "@beginsWith /search" "id:1,phase:1,pass,nolog,ctl:ruleRemoveTargetById=200;ARGS:q"
                SecRule ARGS "@contains <script" "id:200,phase:2,block,tag:'attack-xss',%s"
                SecRule ARGS "@contains passwd" "id:300,phase:2,block,tag:'attack-lfi',%s"
                """.formatted(SCORE, SCORE);
        CrsEnricher plain = enricher(rules, Map.of());
        LogEvent e = request("/search?q=%3Cscript%3E&r=%3Cscript%3E", "curl");
        plain.enrich(e);
        assertThat(e.get("caravan.threat.crs.rule_ids")).isEqualTo(List.of("200"));
        LogEvent onlyQ = request("/search?q=%3Cscript%3E", "curl");
        plain.enrich(onlyQ);
        assertThat(onlyQ.get("caravan.threat.crs.rule_ids")).as("ctl removed ARGS:q from 200").isNull();

        CrsEnricher byTarget = enricher(rules, Map.of("caravan.enrich.crs.exclude-targets", "200:ARGS:r"));
        LogEvent r = request("/other?r=%3Cscript%3E", "curl");
        byTarget.enrich(r);
        assertThat(r.get("caravan.threat.crs.rule_ids")).isNull();

        CrsEnricher byId = enricher(rules, Map.of("caravan.enrich.crs.exclude-ids", "300"));
        LogEvent p = request("/x?f=/etc/passwd", "curl");
        byId.enrich(p);
        assertThat(p.get("caravan.threat.crs.rule_ids")).isNull();
        CrsEnricher byTag = enricher(rules, Map.of("caravan.enrich.crs.exclude-tags", "attack-lfi"));
        byTag.enrich(p);
        assertThat(p.get("caravan.threat.crs.rule_ids")).isNull();

        Path after = dir.resolve("after.conf.txt");
        Files.writeString(after, "SecRuleRemoveById 300\n");
        CrsEnricher byFile = enricher(rules, Map.of("caravan.enrich.crs.exclusions-after", after.toString()));
        LogEvent f = request("/x?f=/etc/passwd", "curl");
        byFile.enrich(f);
        assertThat(f.get("caravan.threat.crs.rule_ids")).isNull();
    }

    @Test
    void rulesAnAccessLogCannotFeedAreSkippedNotFailed() throws Exception {
        CrsEnricher crs = enricher("""
                SecRule REQUEST_BODY "@rx evil" "id:1,phase:2,block,%s"
                SecRule REQUEST_HEADERS:Cookie "@rx evil" "id:2,phase:1,block,%s"
                SecRule RESPONSE_BODY "@rx evil" "id:3,phase:4,block,%s"
                SecRule ARGS "@rx evil" "id:4,phase:2,block,%s"
                """.formatted(SCORE, SCORE, SCORE, SCORE), Map.of());
        LogEvent e = request("/?a=evil", "curl");
        crs.enrich(e);
        assertThat(e.get("caravan.threat.crs.rule_ids")).isEqualTo(List.of("4"));
    }

    @Test
    void withACrsDirectoryTheThreatStepRunsCrsAndWithoutOneTheBuiltInRules() throws Exception {
        Files.writeString(dir.resolve("rules.conf"), "SecRule ARGS \"@rx x\" \"id:1,phase:2,block\"\n");
        Map<String, String> base = Map.of("caravan.enrich.geoip.enabled", "false", "caravan.enrich.useragent.enabled",
                "false", "caravan.enrich.bots.enabled", "false");
        java.util.HashMap<String, String> withCrs = new java.util.HashMap<>(base);
        withCrs.put("caravan.enrich.crs.dir", dir.toString());
        assertThat(caravan.enrich.chain.Enrichers.fromSettings(withCrs::get)).singleElement()
                .isInstanceOfSatisfying(caravan.enrich.ReloadingEnricher.class, r -> assertThat(r.current()).isInstanceOf(CrsEnricher.class));
        assertThat(caravan.enrich.chain.Enrichers.fromSettings(base::get)).singleElement()
                .isInstanceOf(caravan.enrich.threat.ThreatEnricher.class);
        withCrs.put("caravan.enrich.crs.dir", dir.resolve("missing").toString());
        assertThatThrownBy(() -> caravan.enrich.chain.Enrichers.fromSettings(withCrs::get))
                .hasMessageContaining("caravan.enrich.crs.dir");
    }

    @Test
    void aFileThatCannotBeReadIsAnErrorWithFileAndLine() throws Exception {
        assertThatThrownBy(() -> enricher("# comment\nSecRule ARGS \"@rx a\" \"id:1,phase:2,frobnicate\"\n", Map.of()))
                .isInstanceOf(CrsException.class).hasMessageContaining("rules.conf:2").hasMessageContaining("frobnicate");
        assertThatThrownBy(() -> enricher("\nSecRule ARGS \"@rx a\n", Map.of()))
                .isInstanceOf(CrsException.class).hasMessageContaining("rules.conf:2").hasMessageContaining("quote");
        assertThatThrownBy(() -> enricher("SecRule ARGS \"@rx a\" \"id:1,t:rot13\"\n", Map.of()))
                .hasMessageContaining("rules.conf:1").hasMessageContaining("rot13");
    }

    @Test
    void aRegexRe2CannotCompileIsSkippedAndListed() throws Exception {
        Files.writeString(dir.resolve("rules.conf"), "SecRule ARGS \"@rx (a)\\1\" \"id:77,phase:2,block\"\n");
        CrsRuleSet set = CrsTestDefaults.load(dir, List.of(), List.of(), Detectors.NONE, java.util.Set.of(), Exclusions.NONE);
        assertThat(set.whyNotInForce(77)).startsWith("RE2 cannot compile");
        assertThat(set.skipped()).hasSize(1);
    }

    @Test
    void setvarRunsOncePerMatchedVariableSoRepeatedParametersCount() throws Exception {
        // CRS 921170/921180 (HTTP parameter pollution), as libmodsecurity3 evaluates them.
        String rules = """
                SecRule ARGS_NAMES "@rx ." "id:20,phase:2,pass,nolog,setvar:'tx.paramcounter_%{MATCHED_VAR_NAME}=+1'"
                SecRule TX:/paramcounter_.*/ "@gt 1" "id:21,phase:2,block,SCORE"
                """.replace("SCORE", SCORE);
        CrsEnricher crs = enricher(rules, Map.of());
        assertThat(fired(crs, "/?test=a&test=b&other=c")).isEqualTo(List.of("21"));
        assertThat(fired(crs, "/?test=a&other=c")).isNull();
    }

    @Test
    void matchedVarsHoldTheValueAfterTheLinksTransformations() throws Exception {
        // CRS 932200: t:urlDecodeUni turns '+' into a space, which the chain's last link looks for.
        String rules = """
                SecRule ARGS "@rx /[^/]+?[*?]" "id:30,phase:2,block,t:none,t:urlDecodeUni,chain,%s"
                    SecRule MATCHED_VARS "@rx \\s" "t:none"
                """.formatted(SCORE);
        CrsEnricher crs = enricher(rules, Map.of());
        assertThat(fired(crs, "/get?id=cat%2B%2Fet*%2F*wd")).isEqualTo(List.of("30"));
        assertThat(fired(crs, "/get?id=cat%2Fet*%2F*wd")).isNull();
    }

    @Test
    void regexDotMatchesNewlinesAndAnchorsMatchAtEveryLineAsInLibModSecurity() throws Exception {
        // CRS 933161 ends in \(.*\) and 942330 has ^...$ alternatives; a decoded %0A must not hide them.
        String rules = """
                SecRule ARGS "@rx \\bassert[\\s]*\\(.*\\)" "id:40,phase:2,block,t:none,t:urlDecodeUni,SCORE"
                SecRule ARGS "@rx ^''$" "id:41,phase:2,block,t:none,t:urlDecodeUni,SCORE"
                """.replace("SCORE", SCORE);
        CrsEnricher crs = enricher(rules, Map.of());
        assertThat(fired(crs, "/get?foo=assert%20%28%0A%0A%29&bar=x%0A%27%27%0Ay")).isEqualTo(List.of("40", "41"));
        assertThat(fired(crs, "/get?foo=assert%20%28&bar=x%27%27y")).isNull();
    }

    @Test
    void aFragmentIsNoPartOfTheArgumentsButStaysInTheRawUri() throws Exception {
        String rules = """
                SecRule ARGS|QUERY_STRING|REQUEST_URI|REQUEST_FILENAME "@contains #" "id:50,phase:2,block,SCORE"
                SecRule REQUEST_URI_RAW "@contains #" "id:51,phase:2,block,SCORE"
                """.replace("SCORE", SCORE);
        CrsEnricher crs = enricher(rules, Map.of());
        assertThat(fired(crs, "/get/index.html?I=Like&Apples=Today#tag")).isEqualTo(List.of("51"));
        assertThat(fired(crs, "/get?a=%23")).isEqualTo(List.of("50"));
    }

    /** The CRS rule ids a GET of {@code target} fires, or null for none. */
    private static Object fired(CrsEnricher crs, String target) {
        LogEvent e = request(target, "curl");
        crs.enrich(e);
        return e.get("caravan.threat.crs.rule_ids");
    }
}
