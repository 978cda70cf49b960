package caravan.parse;

import caravan.event.EcsJsonWriter;
import caravan.event.LogEvent;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Fuzz tests for every compiler and parser. The contract under test: a parser throws nothing but
 * {@link ParseException}, a compiler nothing but {@link IllegalArgumentException}, and whatever a
 * parser accepts becomes a document the JSON writer can write and a JSON reader can read back.
 *
 * <p>In the default test run Jazzer replays the seeds under
 * {@code src/test/resources/caravan/parse/ParserFuzzTestInputs/<method>/} (regression mode). With
 * {@code JAZZER_FUZZ=1} it fuzzes one method per run; {@code bench/fuzz.sh} runs them all.
 *
 * <p>Inputs are bytes decoded as UTF-8, as the tailer decodes file bytes, so malformed input becomes
 * replacement characters exactly as in production. Compiler inputs are {@code format\nline}: the
 * format is compiled and, if it compiles, the rest is parsed with it.
 */
class ParserFuzzTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ZoneId ZONE = ZoneOffset.UTC;

    /** Many directives at once, including adjacent fields, a split time and quoted headers. */
    static final String MANY_DIRECTIVES = "%a %{c}a %A %B %b %{sid}C %D %{HOME}e %f %h %H %{X-Forwarded-For}i %I %k"
            + " %l %L %m %{note}n %{Content-Type}o %O %p %{remote}p %P %{tid}P %U%q \"%r\" %R %s %>s"
            + " [%{%d/%b/%Y %T}t.%{msec_frac}t %{%z}t] %T %{ms}T %u %v %V %X %{SSL_PROTOCOL}x \"%{Referer}i\""
            + " \"%{User-Agent}i\"";

    private static final LineParser COMBINED = Parsers.forFormat("combined");
    private static final LineParser CUSTOM = Parsers.forFormat("apache:" + MANY_DIRECTIVES);
    private static final LineParser NGINX = Parsers.forFormat("nginx:$remote_addr - $remote_user [$time_local]"
            + " \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_time"
            + " $upstream_response_time $host $http_x_forwarded_for $request_length $msec $scheme $server_port"
            + " $connection $time_iso8601 $request_uri $args $unknown_var");
    private static final LineParser APP = new AppLogParser(List.of(
            AppPattern.compile("p", "%{timestamp} %{level} \\[%{service}\\] %{n:int}/%{x:number} %{ip:ip} %{message}",
                    ZONE, null),
            AppPattern.compile("q", "%{timestamp} \\| %{level} \\| %{message}", ZONE, "dd/MM/yyyy HH:mm:ss")),
            true, ZONE, "app.log");
    private static final LineParser JSON = Parsers.forFormat("json");
    private static final LineParser APACHE_ERROR = Parsers.forFormat("apache_error");
    private static final LineParser NGINX_ERROR = Parsers.forFormat("nginx_error");
    private static final LineParser CHAIN = Parsers.forFormat("nginx:$remote_addr \"$http_x_forwarded_for\" $status");

    // ---- parsers --------------------------------------------------------------------------------

    @FuzzTest
    void combined(byte[] data) {
        parse(COMBINED, text(data));
    }

    @FuzzTest
    void customLogFormat(byte[] data) {
        parse(CUSTOM, text(data));
    }

    @FuzzTest
    void nginx(byte[] data) {
        parse(NGINX, text(data));
    }

    @FuzzTest
    void app(byte[] data) {
        parse(APP, text(data));
    }

    @FuzzTest
    void json(byte[] data) {
        parse(JSON, text(data));
    }

    @FuzzTest
    void apacheError(byte[] data) {
        parse(APACHE_ERROR, text(data));
    }

    @FuzzTest
    void nginxError(byte[] data) {
        parse(NGINX_ERROR, text(data));
    }

    /** First line: trusted proxies (refused if not CIDRs); the rest: a line whose peer and header hold a chain. */
    @FuzzTest
    void proxyChain(byte[] data) {
        String[] fl = formatAndLine(data);
        try {
            ProxyChain.trust(fl[0]);
        } catch (IllegalArgumentException refused) {
            ProxyChain.trust("");
        }
        try {
            List<String> chain = ProxyChain.addresses(fl[1]);
            String client = ProxyChain.client(chain);
            if (client != null && !chain.contains(client)) {
                throw new IllegalStateException("client " + client + " is not in the chain " + chain);
            }
            LogEvent e = new LogEvent();
            try {
                CHAIN.parse(fl[1], e);
            } catch (ParseException expected) {
                return;
            }
            check(e);
            if (e.get("network.forwarded_ip") instanceof List<?> l && !l.stream().allMatch(a -> Ips.isIp((String) a))) {
                throw new IllegalStateException("network.forwarded_ip holds a non-IP: " + l);
            }
            if (e.relatedIp != null && !e.relatedIp.stream().allMatch(Ips::isIp)) {
                throw new IllegalStateException("related.ip holds a non-IP: " + e.relatedIp);
            }
        } finally {
            ProxyChain.trust("");
        }
    }

    // ---- compilers ------------------------------------------------------------------------------

    @FuzzTest
    void apacheCompiler(byte[] data) {
        String[] fl = formatAndLine(data);
        LineParser p;
        try {
            p = ApacheLogFormat.compile(fl[0], "apache.access", ZONE);
        } catch (IllegalArgumentException expected) {
            return;
        }
        parse(p, fl[1]);
    }

    @FuzzTest
    void nginxCompiler(byte[] data) {
        String[] fl = formatAndLine(data);
        LineParser p;
        try {
            p = NginxLogFormat.compile(fl[0], "nginx.access", ZONE);
        } catch (IllegalArgumentException expected) {
            return;
        }
        parse(p, fl[1]);
    }

    @FuzzTest
    void specCompiler(byte[] data) {
        String[] fl = formatAndLine(data);
        if (fl[0].contains("patterns")) {
            return; // names a file to read: not the compiler's input space (and /dev/zero never ends)
        }
        LineParser p;
        try {
            p = Parsers.compileUncached(fl[0]);
        } catch (IllegalArgumentException expected) {
            return;
        }
        parse(p, fl[1]);
    }

    @FuzzTest
    void strftimeCompiler(byte[] data) {
        String[] fl = formatAndLine(data);
        Strftime f;
        try {
            f = Strftime.compile(fl[0]);
        } catch (IllegalArgumentException expected) {
            return;
        }
        TimeParts t = new TimeParts();
        int end = f.parse(fl[1], 0, fl[1].length(), t);
        if (end > fl[1].length()) {
            throw new IllegalStateException("read past the end: " + end);
        }
        t.resolve(ZoneId.of("Europe/Paris"));
    }

    @FuzzTest
    void appPatternCompiler(byte[] data) {
        String[] fl = formatAndLine(data);
        AppPattern p;
        try {
            p = AppPattern.compile("fuzz", fl[0], ZONE, null);
        } catch (IllegalArgumentException expected) {
            return;
        }
        parse(new AppLogParser(List.of(p), false, ZONE, "app.log"), fl[1]);
    }

    @FuzzTest
    void patternsFile(byte[] data) {
        try {
            AppPatterns.parse(text(data), "fuzz.yaml", null);
        } catch (IllegalArgumentException expected) {
            // refused with a line number: the contract
        }
    }

    // ---- the contract ---------------------------------------------------------------------------

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.UTF_8);
    }

    private static String[] formatAndLine(byte[] data) {
        String s = text(data);
        int nl = s.indexOf('\n');
        return nl < 0 ? new String[] {s, ""} : new String[] {s.substring(0, nl), s.substring(nl + 1)};
    }

    /** Parses; a ParseException is a fine answer, anything else escapes and is a finding. */
    private static void parse(LineParser p, String line) {
        LogEvent e = new LogEvent();
        try {
            p.parse(line, e);
        } catch (ParseException expected) {
            if (expected.position() < 0 || expected.reason() == null) {
                throw new IllegalStateException("ParseException without position or reason", expected);
            }
            return;
        }
        check(e);
    }

    private static void check(LogEvent e) {
        if (e.sourceIp != null && !Ips.isIp(e.sourceIp)) {
            throw new IllegalStateException("source.ip is not an IP: " + e.sourceIp);
        }
        if (e.statusCode != -1 && (e.statusCode < 100 || e.statusCode > 999)) {
            throw new IllegalStateException("status " + e.statusCode);
        }
        byte[] json = new EcsJsonWriter().write(e);
        try {
            MAPPER.readTree(json);
        } catch (IOException x) {
            throw new UncheckedIOException("the document is not JSON: " + new String(json, StandardCharsets.UTF_8), x);
        }
    }
}
