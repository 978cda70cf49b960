package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.parse.ProxyChain;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code caravan parse} prints the document the index route would send: parsed with the settings'
 * trusted proxies, then enriched by the route's chain (GeoIP, user agent, bots, CRS); {@code --no-enrich}
 * leaves the enrichment out, not the trusted proxies.
 */
class ParseCommandEnrichTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String FORMAT = "apache:%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" \"%{X-Forwarded-For}i\"";
    /** Peer 10.0.0.5 (a proxy), which says it forwarded for 81.2.69.142 (London in the test database). */
    private static final String LINE = "10.0.0.5 - - [17/May/2015:10:05:03 +0000] "
            + "\"GET /item?id=1%27%20UNION%20SELECT%20password%20FROM%20users-- HTTP/1.1\" 200 5 \"-\" "
            + "\"Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)\" \"1.1.1.1, 81.2.69.142\"\n";

    @TempDir
    Path dir;

    @AfterEach
    void forget() {
        ProxyChain.trust("");
    }

    private JsonNode parse(String settings, String... options) throws Exception {
        Path config = dir.resolve("caravan.properties");
        Files.writeString(config, settings);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ParseCommand cmd = new ParseCommand(new ByteArrayInputStream(LINE.getBytes(StandardCharsets.UTF_8)), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        String[] args = new String[options.length + 4];
        args[0] = "--format";
        args[1] = FORMAT;
        args[2] = "--config";
        args[3] = config.toString();
        System.arraycopy(options, 0, args, 4, options.length);
        assertThat(new CommandLine(cmd).execute(args)).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return MAPPER.readTree(out.toString(StandardCharsets.UTF_8));
    }

    private static String settings(boolean trustProxies) {
        return """
                caravan.enrich.geoip.city-db = src/test/resources/geoip/GeoIP2-City-Test.mmdb
                caravan.enrich.geoip.asn-db = src/test/resources/geoip/GeoLite2-ASN-Test.mmdb
                caravan.enrich.crs.dir = src/test/resources/crs/rules
                """ + (trustProxies ? "caravan.parse.trusted-proxies = 10.0.0.0/8\n" : "");
    }

    @Test
    void theDocumentCarriesTheIndexRoutesEnrichmentWithTheCrsRuleIds() throws Exception {
        JsonNode doc = parse(settings(true));
        assertThat(doc.at("/source/ip").asText()).isEqualTo("81.2.69.142");
        assertThat(doc.at("/source/geo/city_name").asText()).isEqualTo("London");
        assertThat(doc.at("/user_agent/name").asText()).isEqualTo("Googlebot");
        assertThat(doc.at("/caravan/bot/is_bot").asBoolean()).isTrue();
        assertThat(doc.at("/caravan/threat/detected").asBoolean()).isTrue();
        assertThat(doc.at("/caravan/threat/categories").toString()).contains("sql_injection");
        JsonNode ids = doc.at("/caravan/threat/crs/rule_ids");
        assertThat(ids.isArray()).isTrue();
        assertThat(ids.toString()).contains("942100");
        assertThat(doc.at("/caravan/threat/crs/anomaly_score").asInt()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void noEnrichPrintsTheParsedDocumentAloneStillWithTheTrustedProxies() throws Exception {
        JsonNode doc = parse(settings(true), "--no-enrich");
        assertThat(doc.at("/source/ip").asText()).isEqualTo("81.2.69.142");
        assertThat(doc.at("/url/query").asText()).contains("UNION");
        assertThat(doc.at("/source/geo").isMissingNode()).isTrue();
        assertThat(doc.at("/user_agent/name").isMissingNode()).isTrue();
        assertThat(doc.at("/caravan/threat").isMissingNode()).isTrue();
        assertThat(doc.at("/caravan/bot").isMissingNode()).isTrue();
    }

    @Test
    void withoutTrustedProxiesTheClientIsTheFirstPublicAddress() throws Exception {
        assertThat(parse(settings(false), "--no-enrich").at("/source/ip").asText()).isEqualTo("1.1.1.1");
    }
}
