package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckCommandTest {
    private static final String GOOD_ROUTE = """
            - route:
                id: apache-access
                from:
                  uri: "tail:/var/log/apache2/access*.log"
                  parameters: {format: combined, service: web}
                  steps:
                    - to: "direct:ship"
            """;

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private Result check(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Caravan.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        String[] all = new String[args.length + 1];
        all[0] = "check";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = cl.execute(all);
        return new Result(code, out.toString(), err.toString());
    }

    private Path routes(String name, String yaml) throws Exception {
        Path r = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(r.resolve(name), yaml);
        return r;
    }

    private Path config(String text) throws Exception {
        return Files.writeString(dir.resolve("app.properties"), text);
    }

    @Test
    void aGoodConfigurationAndRoutePass() throws Exception {
        Result r = check("--config", config("caravan.http.port = 9999\n").toString(),
                "--routes", routes("a.yaml", GOOD_ROUTE).toString());
        assertThat(r.code).as(r.err).isZero();
        assertThat(r.out).contains("ok:").contains("1 route file(s) with 1 route(s)");
    }

    @Test
    void aSecretInThePropertiesFilePointsToItsFileKey() throws Exception {
        Result r = check("--config", config("caravan.elasticsearch.password = hunter2\ncaravan.elasticsearch.api-key = k\n")
                .toString(), "--routes", routes("a.yaml", GOOD_ROUTE).toString());
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("secret 'caravan.elasticsearch.password' in")
                .contains("caravan.elasticsearch.password-file").contains("CARAVAN_ELASTICSEARCH_PASSWORD")
                .contains("caravan.elasticsearch.api-key-file").doesNotContain("hunter2");
    }

    @Test
    void theOperatorsFilesAreLoaded() throws Exception {
        Path bots = Files.writeString(dir.resolve("bots.yaml"), "bots:\n  - {name: X, tokens: [\"x/\"]}\n");
        Path threats = Files.writeString(dir.resolve("threats.yaml"), "not: [a, rule, file\n");
        Result r = check("--config", config("caravan.enrich.bots.file = " + bots + "\n"
                        + "caravan.enrich.threats.file = " + threats + "\n"
                        + "caravan.enrich.geoip.city-db = " + dir.resolve("nope.mmdb") + "\n"
                        + "caravan.elasticsearch.password-file = " + dir.resolve("missing-secret") + "\n").toString(),
                "--routes", routes("a.yaml", GOOD_ROUTE).toString());
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("caravan.enrich.bots.file = " + bots) // no category: refused as the enricher would
                .contains("caravan.enrich.threats.file = " + threats)
                .contains("error: caravan.enrich.geoip.city-db = " + dir.resolve("nope.mmdb"))
                .contains("caravan.elasticsearch.password-file = " + dir.resolve("missing-secret") + ": the secret file cannot be read");
    }

    @Test
    void aDefaultGeoIpPathThatIsNotInstalledIsOnlyAWarning() throws Exception {
        Result r = check("--config", config("caravan.http.port = 9999\n").toString(),
                "--routes", routes("a.yaml", GOOD_ROUTE).toString());
        assertThat(r.code).as(r.err).isZero();
        if (!Files.isReadable(Path.of("/usr/share/GeoIP/GeoLite2-City.mmdb"))) {
            assertThat(r.err).contains("warning: caravan.enrich.geoip.city-db");
        }
    }

    @Test
    void aNonTailSourceShipsWithAFormatAndIdsThatTellRecordsApart() throws Exception {
        String timer = """
                - route:
                    id: ticks
                    from:
                      uri: "timer:t"
                      parameters: {repeatCount: 10}
                      steps:
                        - setHeader: {name: CaravanFormat, constant: json}
                        %s
                        - to: "direct:ship"
                """;
        Result ok = check("--routes", routes("t.yaml", timer.formatted("- setBody: {simple: '{\"n\":${exchangeProperty.CamelTimerCounter}}'}")).toString());
        assertThat(ok.code).as(ok.err).isZero();
        Result constantId = check("--routes", routes("t.yaml", timer.formatted(
                "- setHeader: {name: CaravanDocumentId, constant: same}")).toString());
        assertThat(constantId.code).isEqualTo(1);
        assertThat(constantId.err).contains("CaravanDocumentId is a constant");
        Result noFormat = check("--routes", routes("t.yaml", timer.replace("- setHeader: {name: CaravanFormat, constant: json}",
                "- log: x").formatted("- log: y")).toString());
        assertThat(noFormat.code).isEqualTo(1);
        assertThat(noFormat.err).contains("ships from timer").contains("CaravanFormat");
    }

    @Test
    void aTypoedKeyIsNamedWithTheKeyItProbablyMeant() throws Exception {
        Result r = check("--config", config("caravan.index.bulk.max-dcos = 500\n").toString(),
                "--routes", routes("a.yaml", GOOD_ROUTE).toString());
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("unknown setting 'caravan.index.bulk.max-dcos'")
                .contains("did you mean 'caravan.index.bulk.max-docs'?");
    }

    @Test
    void aKafkaSecurityBlockThatDoesNotHoldTogetherIsOneLine() throws Exception {
        Result r = check("--config", config("caravan.kafka.security.protocol = SASL_SSL\ncaravan.kafka.sasl.username = caravan\n").toString(),
                "--routes", routes("a.yaml", GOOD_ROUTE).toString());
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("error: caravan.kafka.security.protocol is SASL_SSL but caravan.kafka.sasl.password is empty")
                .contains("1 error(s)");
        Result secret = check("--config", config("caravan.kafka.sasl.password = hunter2\n").toString(),
                "--routes", routes("a.yaml", GOOD_ROUTE).toString());
        assertThat(secret.err).contains("error: secret 'caravan.kafka.sasl.password' in ").contains("CARAVAN_KAFKA_SASL_PASSWORD");
    }

    @Test
    void aBadValueIsNamed() throws Exception {
        Result r = check("--config", config("caravan.http.port = eighty\n").toString(),
                "--routes", routes("a.yaml", GOOD_ROUTE).toString());
        assertThat(r.code).isEqualTo(1);
        assertThat(r.err).contains("bad value for 'caravan.http.port'").contains("not a whole number");
    }

    @Test
    void aBadFormatIsReportedWithFileAndLine() throws Exception {
        Path r = routes("bad-format.yaml", GOOD_ROUTE.replace("format: combined", "format: combnied"));
        Result res = check("--routes", r.toString(), "--config", config("").toString());
        assertThat(res.code).isEqualTo(1);
        assertThat(res.err).contains("bad-format.yaml:5:").contains("format 'combnied': unknown format");
    }

    @Test
    void aBrokenRouteFileIsReportedWithFileAndLine() throws Exception {
        Path r = routes("broken.yaml", GOOD_ROUTE.replace("    from:", "    from\n      - x: [unclosed"));
        Result res = check("--routes", r.toString(), "--config", config("").toString());
        assertThat(res.code).isEqualTo(1);
        assertThat(res.err).contains("broken.yaml").contains("does not parse");
    }

    @Test
    void anUnknownEndpointIsReported() throws Exception {
        Path r = routes("typo.yaml", GOOD_ROUTE.replace("direct:ship", "dirct:ship"));
        Result res = check("--routes", r.toString(), "--config", config("").toString());
        assertThat(res.code).isEqualTo(1);
        assertThat(res.err).contains("typo.yaml:7:").contains("dirct:ship").contains("does not resolve");
    }

    @Test
    void aMissingConfigFileIsReported() throws Exception {
        Result res = check("--config", dir.resolve("nope.properties").toString(),
                "--routes", routes("a.yaml", GOOD_ROUTE).toString());
        assertThat(res.code).isEqualTo(1);
        assertThat(res.err).contains("nope.properties").contains("does not exist");
    }

    @Test
    void theAlertRulesAreCheckedToo() throws Exception {
        Path routes = routes("a.yaml", GOOD_ROUTE);
        Result ok = check("--config", config("caravan.http.port = 9999\n").toString(), "--routes", routes.toString());
        assertThat(ok.out).contains("7 alert rule(s) in alerts.yaml");
        Path rules = Files.writeString(dir.resolve("alerts.yaml"), "rules:\n  - id: spike\n    type: spike\n    z: high\n");
        Result bad = check("--config", config("caravan.http.port = 9999\n").toString(), "--routes", routes.toString(),
                "--alerts", rules.toString());
        assertThat(bad.code).isEqualTo(1);
        assertThat(bad.err).contains("alerts.yaml:4: rule 'spike': field 'z': 'high' is not a number");
        // A rule may only notify through a channel the settings configure.
        Files.writeString(rules, "rules:\n  - {id: s, type: spike, notify: [webhook]}\n");
        assertThat(check("--config", config("caravan.http.port = 9999\n").toString(), "--routes", routes.toString(),
                "--alerts", rules.toString()).err).contains("channel 'webhook' is not configured");
        assertThat(check("--config", config("caravan.alert.webhook.url = http://127.0.0.1:1/hook\n").toString(),
                "--routes", routes.toString(), "--alerts", rules.toString()).code).isZero();
    }
}
