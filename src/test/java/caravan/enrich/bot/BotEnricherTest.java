package caravan.enrich.bot;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.LogEvent;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BotEnricherTest {
    private static final BotEnricher BOTS = new BotEnricher(BotRules.load(null), 1000);

    private static LogEvent request(String ua) {
        LogEvent e = new LogEvent();
        e.method = "GET";
        e.urlOriginal = "/";
        e.userAgent = ua;
        return e;
    }

    static Stream<Arguments> bots() {
        return Stream.of(
                Arguments.of("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", "Googlebot", "search_engine"),
                Arguments.of("Googlebot-Image/1.0", "Googlebot", "search_engine"),
                Arguments.of("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "Bingbot", "search_engine"),
                Arguments.of("Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)", "Baiduspider", "search_engine"),
                Arguments.of("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "YandexBot", "search_engine"),
                Arguments.of("DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)", "DuckDuckBot", "search_engine"),
                Arguments.of("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)", "Applebot", "search_engine"),
                Arguments.of("Mozilla/5.0 (compatible; archive.org_bot +http://www.archive.org/details/archive.org_bot)", "archive.org_bot", "archiver"),
                Arguments.of("ia_archiver (+http://www.alexa.com/site/help/webmasters; crawler@alexa.com)", "ia_archiver", "archiver"),
                Arguments.of("Mozilla/5.0 (compatible; heritrix/3.4.0 +http://example.org)", "Heritrix", "archiver"),
                Arguments.of("Feedly/1.0 (+http://www.feedly.com/fetcher.html; 12 subscribers)", "Feedly", "feed_reader"),
                Arguments.of("Tiny Tiny RSS/1.11 (http://tt-rss.org/)", "Tiny Tiny RSS", "feed_reader"),
                Arguments.of("Mozilla/5.0+(compatible; UptimeRobot/2.0; http://www.uptimerobot.com/)", "UptimeRobot", "monitoring"),
                Arguments.of("Pingdom.com_bot_version_1.4_(http://www.pingdom.com/)", "Pingdom", "monitoring"),
                Arguments.of("sqlmap/1.7.2#stable (https://sqlmap.org)", "sqlmap", "security_scanner"),
                Arguments.of("Mozilla/5.00 (Nikto/2.1.6) (Evasions:None) (Test:000003)", "Nikto", "security_scanner"),
                Arguments.of("Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)", "Nmap", "security_scanner"),
                Arguments.of("masscan/1.3 (https://github.com/robertdavidgraham/masscan)", "masscan", "security_scanner"),
                Arguments.of("Mozilla/5.0 zgrab/0.x", "ZGrab", "security_scanner"),
                Arguments.of("Nuclei - Open-source project (github.com/projectdiscovery/nuclei)", "Nuclei", "security_scanner"),
                Arguments.of("WPScan v3.8.22 (https://wpscan.com/wordpress-security-scanner)", "WPScan", "security_scanner"),
                Arguments.of("DirBuster-1.0-RC1 (http://www.owasp.org/index.php/Category:OWASP_DirBuster_Project)", "DirBuster", "security_scanner"),
                Arguments.of("gobuster/3.6", "Gobuster", "security_scanner"),
                Arguments.of("curl/8.5.0", "curl", "scripted_client"),
                Arguments.of("Wget/1.21.4", "Wget", "scripted_client"),
                Arguments.of("python-requests/2.31.0", "python-requests", "scripted_client"),
                Arguments.of("Go-http-client/2.0", "Go-http-client", "scripted_client"),
                Arguments.of("Java/17.0.9", "Java", "scripted_client"),
                Arguments.of("libwww-perl/6.72", "libwww-perl", "scripted_client"),
                Arguments.of("okhttp/4.12.0", "Java", "scripted_client"),
                Arguments.of("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)", "SemrushBot", "seo_crawler"),
                Arguments.of("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)", "GPTBot", "ai_crawler"),
                Arguments.of("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "Facebook", "link_preview"),
                // Generic: named after the word that says so, or the first product when that word says nothing.
                Arguments.of("Mozilla/5.0 (compatible; FooCrawlerBot/2.0; +http://foo.example/bot)", "FooCrawlerBot", "crawler"),
                Arguments.of("Mozilla/5.0 (compatible; SiteExplorer/1.0b; +http://siteexplorer.info/)", "SiteExplorer", "crawler"),
                Arguments.of("Digg Feed Fetcher 1.0 (Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_1))", "Digg", "feed_reader"));
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("bots")
    void classifiesBot(String ua, String name, String category) {
        LogEvent e = request(ua);
        BOTS.enrich(e);
        assertThat(e.get("caravan.bot.is_bot")).isEqualTo(Boolean.TRUE);
        assertThat(e.get("caravan.bot.name")).isEqualTo(name);
        assertThat(e.get("caravan.bot.category")).isEqualTo(category);
    }

    static Stream<String> browsers() {
        return Stream.of(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
                "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:27.0) Gecko/20100101 Firefox/27.0",
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1",
                "Mozilla/5.0 (Linux; Android 9; CUBOT P30 Build/PPR1.180610.011) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/74.0.3729.157 Mobile Safari/537.36",
                "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; WOW64; Trident/5.0)",
                "Opera/9.80 (MTK; Opera Mini/2.1199/34.1244; U; id) Presto/2.8.119 Version/11.10",
                "Mozilla/5.0 (Linux; U; Android 4.0.4; en-us; LG-MS770 Build/IMM76I) AppleWebKit/534.30 (KHTML, like Gecko) Version/4.0 Mobile Safari/534.30");
    }

    @ParameterizedTest
    @MethodSource("browsers")
    void browsersAreNotBots(String ua) {
        LogEvent e = request(ua);
        BOTS.enrich(e);
        assertThat(e.get("caravan.bot.is_bot")).isEqualTo(Boolean.FALSE);
        assertThat(e.get("caravan.bot.name")).isNull();
        assertThat(e.get("caravan.bot.category")).isNull();
    }

    @Test
    void aRequestWithoutAUserAgentIsABot() {
        for (String ua : new String[] {null, "", "-", "  "}) {
            LogEvent e = request(ua);
            BOTS.enrich(e);
            assertThat(e.get("caravan.bot.is_bot")).as("ua [%s]", ua).isEqualTo(Boolean.TRUE);
            assertThat(e.get("caravan.bot.category")).isEqualTo("empty_user_agent");
        }
    }

    @Test
    void aCrawlerIsVerifiedByTheNetworkItComesFromWhenThatIsKnown() {
        String googlebot = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";
        LogEvent real = request(googlebot);
        real.put("source.as.organization.name", "Google LLC");
        BOTS.enrich(real);
        assertThat(real.get("caravan.bot.name")).isEqualTo("Googlebot");
        assertThat(real.get("caravan.bot.verified")).isEqualTo(Boolean.TRUE);

        LogEvent impostor = request(googlebot);
        impostor.put("source.as.organization.name", "DIGITALOCEAN-ASN");
        BOTS.enrich(impostor);
        assertThat(impostor.get("caravan.bot.name")).isEqualTo("Googlebot");
        assertThat(impostor.get("caravan.bot.verified")).isEqualTo(Boolean.FALSE);

        LogEvent bing = request("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)");
        bing.put("source.as.organization.name", "MICROSOFT-CORP-MSN-AS-BLOCK");
        BOTS.enrich(bing);
        assertThat(bing.get("caravan.bot.verified")).isEqualTo(Boolean.TRUE);

        // No AS organisation (no ASN database, a private address): nothing is claimed either way.
        LogEvent unknown = request(googlebot);
        BOTS.enrich(unknown);
        assertThat(unknown.get("caravan.bot.verified")).isNull();
        // A crawler without known networks is never marked.
        LogEvent other = request("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)");
        other.put("source.as.organization.name", "Hetzner Online GmbH");
        BOTS.enrich(other);
        assertThat(other.get("caravan.bot.is_bot")).isEqualTo(Boolean.TRUE);
        assertThat(other.get("caravan.bot.verified")).isNull();
    }

    @Test
    void eventsThatAreNotRequestsAreLeftAlone() {
        LogEvent e = new LogEvent();
        e.message = "GC pause 12ms";
        BOTS.enrich(e);
        assertThat(e.fields()).isEmpty();
    }

    @Test
    void anchoredTokensOnlyMatchAtTheStart() {
        LogEvent e = request("Mozilla/5.0 (compatible; my-curl/1.0 wrapper)");
        BOTS.enrich(e);
        assertThat(e.get("caravan.bot.is_bot")).isEqualTo(Boolean.FALSE);
    }
}
