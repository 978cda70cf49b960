package caravan.enrich.geo;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeoIpEnricherTest {
    private static final Path DBS = Path.of("src/test/resources/geoip");
    private static final String CITY = DBS.resolve("GeoIP2-City-Test.mmdb").toString();
    private static final String ASN = DBS.resolve("GeoLite2-ASN-Test.mmdb").toString();
    private static final String ANONYMOUS = DBS.resolve("GeoIP2-Anonymous-IP-Test.mmdb").toString();

    @TempDir
    Path dir;
    /** What the enricher warns about; production sends these to the log. */
    private final List<String> warnings = new ArrayList<>();

    private GeoIpEnricher geoip(String city, String asn, String anonymous, long checkInterval) {
        return new GeoIpEnricher(city, asn, anonymous, 100, checkInterval, warnings::add);
    }

    private static caravan.event.LogEvent from(String ip) {
        caravan.event.LogEvent e = new caravan.event.LogEvent();
        e.sourceIp = ip;
        return e;
    }

    private static Map<String, Object> enrich(GeoIpEnricher g, String ip) {
        caravan.event.LogEvent e = from(ip);
        g.enrich(e);
        return e.fields();
    }

    private static double available(String database) {
        return Metrics.registry().get("caravan.enrich.geoip.database.available").tag("database", database).gauge().value();
    }

    private static double available() {
        return Metrics.gaugeValue("caravan.enrich.geoip.available");
    }

    @Test
    void cityAsnAndAnonymousFields() {
        GeoIpEnricher g = geoip(CITY, ASN, ANONYMOUS, 60_000);
        assertThat(enrich(g, "216.160.83.56")).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("source.geo.continent_name", "North America"),
                Map.entry("source.geo.country_iso_code", "US"),
                Map.entry("source.geo.country_name", "United States"),
                Map.entry("source.geo.region_iso_code", "US-WA"),
                Map.entry("source.geo.region_name", "Washington"),
                Map.entry("source.geo.city_name", "Milton"),
                Map.entry("source.geo.postal_code", "98354"),
                Map.entry("source.geo.timezone", "America/Los_Angeles"),
                Map.entry("source.geo.location", Map.of("lat", 47.2513, "lon", -122.3149)),
                Map.entry("source.as.number", 209L),
                Map.entry("caravan.geo.anonymous.detected", false)));
        assertThat(enrich(g, "81.2.69.142")).containsEntry("source.geo.city_name", "London")
                .containsEntry("source.geo.region_iso_code", "GB-ENG");
        assertThat(enrich(g, "1.128.0.1")).containsEntry("source.as.number", 1221L)
                .containsEntry("source.as.organization.name", "Telstra Pty Ltd");
        assertThat(enrich(g, "1.124.213.1")).containsEntry("caravan.geo.anonymous.detected", true)
                .containsEntry("caravan.geo.anonymous.tor_exit_node", true).containsEntry("caravan.geo.anonymous.vpn", true)
                .doesNotContainKey("caravan.geo.anonymous.public_proxy");
        assertThat(enrich(g, "2001:218::1")).containsEntry("source.geo.country_iso_code", "JP");
        assertThat(available("city")).isEqualTo(1.0);
        assertThat(available("anonymous")).isEqualTo(1.0);
        assertThat(available()).isEqualTo(1.0);
        assertThat(warnings).isEmpty();
    }

    @Test
    void privateAndReservedAddressesAndNonAddressesGetNothing() {
        GeoIpEnricher g = geoip(CITY, ASN, ANONYMOUS, 60_000);
        for (String ip : new String[] {"10.0.0.1", "192.168.0.10", "127.0.0.1", "169.254.169.254", "::1", "fe80::1", "fd00::1",
            "unknown", "-", "example.com"}) {
            assertThat(enrich(g, ip)).as(ip).isEmpty();
        }
        caravan.event.LogEvent noIp = new caravan.event.LogEvent();
        g.enrich(noIp);
        assertThat(noIp.fields()).isEmpty();
    }

    @Test
    void withoutDatabasesOneWarningAGaugeAtZeroAndEventsPassUnchanged() {
        GeoIpEnricher g = geoip(dir.resolve("GeoLite2-City.mmdb").toString(), "", null, 60_000);
        for (int i = 0; i < 100; i++) {
            assertThat(enrich(g, "81.2.69.142")).isEmpty();
        }
        assertThat(g.available()).isFalse();
        assertThat(available("city")).isEqualTo(0.0);
        assertThat(available("asn")).isEqualTo(0.0);
        assertThat(available()).isEqualTo(0.0);
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("the city database " + dir.resolve("GeoLite2-City.mmdb") + " does not exist")
                .contains("geoipupdate");
    }

    @Test
    void nothingConfiguredIsSaidOnceToo() {
        GeoIpEnricher g = geoip("", " ", null, 60_000);
        assertThat(enrich(g, "81.2.69.142")).isEmpty();
        assertThat(warnings).singleElement().asString().startsWith(
                "GeoIP enrichment is incomplete: no GeoIP database configured (caravan.enrich.geoip.city-db, asn-db)");
    }

    @Test
    void aDatabaseOfTheWrongKindIsRefusedByName() {
        GeoIpEnricher g = geoip(ASN, "", "", 60_000);
        assertThat(enrich(g, "81.2.69.142")).isEmpty();
        assertThat(warnings).singleElement().asString()
                .contains("is a GeoLite2-ASN database, not City (check caravan.enrich.geoip.city-db)");
    }

    @Test
    void aDatabaseThatAppearsOrIsReplacedOnDiskIsPickedUpWithoutRestart() throws Exception {
        Path city = dir.resolve("city.mmdb");
        Path asn = dir.resolve("asn.mmdb");
        Files.copy(Path.of(DBS.resolve("GeoLite2-City-Test.mmdb").toString()), city);
        GeoIpEnricher g = geoip(city.toString(), asn.toString(), "", 0);
        // 149.101.100.0/28 is in GeoIP2-City-Test only; the ASN file does not exist yet.
        assertThat(enrich(g, "149.101.100.1")).isEmpty();
        assertThat(available("asn")).isEqualTo(0.0);
        assertThat(available()).isEqualTo(1.0); // the City file is there, it just does not know this address

        Path staged = dir.resolve("city.mmdb.tmp");
        Files.copy(Path.of(CITY), staged);
        Files.move(staged, city, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.copy(Path.of(ASN), asn);
        assertThat(enrich(g, "149.101.100.1")).containsEntry("source.geo.country_iso_code", "US")
                .containsEntry("source.as.number", 6167L);
        assertThat(available("asn")).isEqualTo(1.0);

        Files.delete(asn);
        assertThat(enrich(g, "149.101.100.1")).containsEntry("source.geo.country_iso_code", "US")
                .doesNotContainKey("source.as.number");
        assertThat(available("asn")).isEqualTo(0.0);
        assertThat(warnings).hasSize(2); // the missing ASN file at start, and once more when it went away
    }

    @Test
    void aBrokenReplacementIsReportedAndTheEnricherCarriesOn() throws Exception {
        Path city = dir.resolve("city.mmdb");
        Files.copy(Path.of(CITY), city);
        GeoIpEnricher g = geoip(city.toString(), "", "", 0);
        assertThat(enrich(g, "81.2.69.142")).containsEntry("source.geo.country_iso_code", "GB");
        Files.writeString(city, "not a database");
        assertThat(enrich(g, "81.2.69.142")).isEmpty();
        assertThat(enrich(g, "81.2.69.142")).isEmpty();
        assertThat(warnings).singleElement().asString().contains("cannot be read");
    }
}
