package caravan.parse;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The peers' published fixtures (Filebeat module tests, Logstash httpd pattern specs, VRL examples),
 * compared field by field with what Caravan indexes. Normalisations, stated once here:
 * <ul>
 *   <li>a peer value {@code -} means absent (Caravan leaves the field out);</li>
 *   <li>{@code source.address} (and VRL's host/client/remote_addr) is the client as written: it
 *       matches Caravan's {@code source.ip}, {@code source.domain} or {@code source.address};</li>
 *   <li>times: an instant when the line has a zone; a wall-clock time when the peer ran its test in a
 *       zone of its own ({@code event.timezone}) on a line without one;</li>
 *   <li>methods compare without case, numbers by value whatever their JSON type;</li>
 *   <li>a request line (VRL {@code request}) is method, {@code url.original} and version;</li>
 *   <li>Filebeat's {@code nginx.access.remote_ip_list} is Caravan's {@code network.forwarded_ip}, which
 *       only exists when there was a chain; lists ({@code related.ip} too) compare as multisets, since
 *       Filebeat's newer fixtures store them sorted;</li>
 *   <li>Filebeat's {@code apache.access.ssl.cipher} and {@code .protocol} repeat its own {@code tls.*}:
 *       they compare with {@code tls.cipher} and {@code TLSv} + {@code tls.version};</li>
 *   <li>a leading nginx host field ({@code $http_host}), which Filebeat puts in
 *       {@code destination.domain|ip} and {@code destination.port}, is the host the client asked for:
 *       Caravan's {@code url.domain} and {@code url.port};</li>
 *   <li>enrichment ({@code user_agent.*} but the original, {@code source.geo.*}, {@code source.as.*})
 *       and the peers' bookkeeping ({@code event.*}, {@code fileset.*}, {@code input.*},
 *       {@code service.*}, {@code ecs.*}, {@code log.offset}, {@code log.flags}) are not the parser's.</li>
 * </ul>
 * Every other difference must be listed, with its reason, in {@code conformance/explained.tsv};
 * an unexplained one, or an explanation nothing needs any more, fails the test.
 */
class ConformanceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> IGNORED = List.of("event.", "fileset.", "input.", "service.", "ecs.",
            "log.offset", "log.flags", "user_agent.device.", "user_agent.name", "user_agent.os.", "user_agent.version",
            "source.geo.", "source.as.", "agent.", "host.");
    /** Apache's default ssl_request_log format (the ssl.conf of httpd's source tree). */
    private static final String APACHE_SSL_REQUEST = "apache:%t %h %{SSL_PROTOCOL}x %{SSL_CIPHER}x \"%r\" %b";
    private static final String NGINX_XFF_FIRST = "nginx:\"$http_x_forwarded_for\" $remote_addr - $remote_user"
            + " [$time_local] \"$request\" $status $body_bytes_sent \"$http_referer\" \"$http_user_agent\"";

    private final Map<String, int[]> counts = new TreeMap<>(); // peer -> agree, explained, unexplained
    private final List<String> unexplained = new ArrayList<>();
    private final Set<String> used = new LinkedHashSet<>();
    private final Map<String, String> explained = explanations();

    @Test
    void peersAgreeOrTheDifferenceIsExplained() throws Exception {
        filebeat("apache-access-test.log", List.of("combined",
                "apache:%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" \"%{X-Forwarded-For}i\""));
        filebeat("apache-access-darwin-2.4.23.log", List.of("common"));
        filebeat("apache-access-ssl-request.log", List.of(APACHE_SSL_REQUEST));
        filebeat("apache-access-test-vhost.log", List.of("apache:%v %h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\""));
        filebeat("apache-error-test.log", List.of("apache_error"));
        filebeat("apache-error-sublevel.log", List.of("apache_error"));
        filebeat("apache-error-ubuntu-2.2.22.log", List.of("apache_error"));
        filebeat("nginx-access-test.log", List.of(NGINX_XFF_FIRST, "main"));
        filebeat("nginx-access-access.log", List.of("nginx_combined"));
        filebeat("nginx-access-test-with-host.log", List.of("nginx:$http_host " + NGINX_XFF_FIRST.substring(6),
                "nginx:$http_host " + NginxLogFormat.MAIN));
        filebeat("nginx-error-error.log", List.of("nginx_error"));
        logstash();
        vrl();

        StringBuilder report = new StringBuilder("Conformance (agree / explained / unexplained):\n");
        counts.forEach((peer, c) -> report.append(String.format("  %-9s %3d / %3d / %3d%n", peer, c[0], c[1], c[2])));
        unexplained.forEach(u -> report.append("  UNEXPLAINED ").append(u).append('\n'));
        Set<String> stale = new LinkedHashSet<>(explained.keySet());
        stale.removeAll(used);
        stale.forEach(s -> report.append("  STALE EXPLANATION ").append(s).append('\n'));
        System.out.print(report);
        assertThat(unexplained).as(report.toString()).isEmpty();
        assertThat(stale).as(report.toString()).isEmpty();
        assertThat(counts.get("filebeat")[0] + counts.get("filebeat")[1]).isEqualTo(63);
        assertThat(counts.get("logstash")[0] + counts.get("logstash")[1]).isEqualTo(11);
        assertThat(counts.get("vrl")[0] + counts.get("vrl")[1]).isEqualTo(7);
    }

    // --- Filebeat: <file> (log lines, paired by log.offset) and <file>-expected.json -----------------

    private void filebeat(String file, List<String> formats) throws Exception {
        JsonNode expected = JSON.readTree(resource("filebeat/" + file + "-expected.json"));
        String log = expected.get(0).has("event.original") ? null : text("filebeat/" + file);
        List<Integer> starts = new ArrayList<>();
        if (log != null) {
            for (JsonNode x : expected) {
                starts.add(x.get("log.offset").asInt());
            }
        }
        for (int i = 0; i < expected.size(); i++) {
            JsonNode x = expected.get(i);
            String line;
            if (log == null) {
                line = x.get("event.original").asText();
            } else {
                int from = starts.get(i);
                assertThat(from == 0 || log.charAt(from - 1) == '\n').as(file + ": log.offset " + from
                        + " is not a line start: log and expected file do not pair").isTrue();
                int to = i + 1 < starts.size() ? starts.get(i + 1) : log.indexOf('\n', from);
                line = log.substring(from, to < 0 ? log.length() : to).stripTrailing();
            }
            Map<String, Object> want = new LinkedHashMap<>();
            x.properties().forEach(f -> want.put(f.getKey(), Docs.value(f.getValue())));
            boolean wallClock = x.has("event.timezone");
            compare("filebeat", file + "#" + (i + 1), line, formats, want, List.of(), wallClock);
        }
        if (log != null) {
            int lastEnd = log.indexOf('\n', starts.get(starts.size() - 1));
            long past = lastEnd < 0 ? 0 : log.substring(lastEnd + 1).lines().filter(l -> !l.isBlank()).count();
            if (past > 0) {
                System.out.println("  filebeat " + file + ": " + past
                        + " line(s) past the stored expected file's last offset, not compared (see SOURCE.md)");
            }
        }
    }

    // --- Logstash: httpd_spec_cases.json ---------------------------------------------------------------

    private void logstash() throws Exception {
        JsonNode cases = JSON.readTree(resource("logstash/httpd_spec_cases.json")).get("cases");
        int n = 0;
        for (JsonNode c : cases) {
            n++;
            String id = "httpd_spec#" + n;
            if (c.has("peer_pending")) {
                // The peer marks this case as one it does not parse: nothing to agree with.
                explain("logstash", id, "*", "peer marks it pending");
                continue;
            }
            Map<String, Object> want = new LinkedHashMap<>();
            c.get("expect").properties().forEach(f -> want.put(f.getKey(), Docs.value(f.getValue())));
            List<String> absent = new ArrayList<>();
            c.get("absent").forEach(a -> absent.add(a.asText()));
            compare("logstash", id, c.get("line").asText(), List.of(c.get("format").asText()), want, absent, false);
        }
    }

    // --- VRL: vrl_examples.json, its names mapped to ECS -----------------------------------------------

    private static final Map<String, String> VRL_NAMES = Map.ofEntries(
            Map.entry("host", "source.address"), Map.entry("client", "source.address"),
            Map.entry("remote_addr", "peer"), Map.entry("user", "user.name"), Map.entry("remote_user", "user.name"),
            Map.entry("method", "http.request.method"), Map.entry("path", "url.original"),
            Map.entry("protocol", "protocol"), Map.entry("status", "http.response.status_code"),
            Map.entry("size", "http.response.body.bytes"), Map.entry("body_bytes_size", "http.response.body.bytes"),
            Map.entry("referrer", "http.request.referrer"), Map.entry("referer", "http.request.referrer"),
            Map.entry("http_referer", "http.request.referrer"), Map.entry("agent", "user_agent.original"),
            Map.entry("http_user_agent", "user_agent.original"), Map.entry("timestamp", "@timestamp"),
            Map.entry("port", "source.port"), Map.entry("module", "apache.error.module"),
            Map.entry("pid", "process.pid"), Map.entry("thread", "process.thread.id"), Map.entry("tid", "process.thread.id"),
            Map.entry("severity", "log.level"), Map.entry("cid", "nginx.error.connection_id"),
            Map.entry("server", "destination.domain"), Map.entry("request", "request"), Map.entry("message", "message"),
            Map.entry("compression", "nginx.gzip_ratio"), Map.entry("http_x_forwarded_for", "http.request.header.x-forwarded-for"),
            Map.entry("request_length", "http.request.bytes"), Map.entry("request_time", "event.duration.seconds"),
            Map.entry("req_id", "nginx.req_id"), Map.entry("upstream_addr", "nginx.upstream_addr"),
            Map.entry("upstream_response_length", "nginx.upstream_response_length"),
            Map.entry("upstream_response_time", "nginx.upstream_response_time"),
            Map.entry("upstream_status", "nginx.upstream_status"), Map.entry("proxy_upstream_name", "nginx.proxy_upstream_name"),
            Map.entry("proxy_alternative_upstream_name", "nginx.proxy_alternative_upstream_name"),
            Map.entry("identity", "identity"));

    private static String vrlFormat(String function, String vrlFormat) {
        boolean nginx = function.equals("parse_nginx_log");
        return switch (vrlFormat) {
            case "common", "main" -> vrlFormat;
            case "combined" -> nginx ? "nginx:$remote_addr - $remote_user [$time_local] \"$request\" $status"
                    + " $body_bytes_sent \"$http_referer\" \"$http_user_agent\" \"$gzip_ratio\"" : "combined";
            case "error" -> nginx ? "nginx_error" : "apache_error";
            case "ingress_upstreaminfo" -> "nginx:$remote_addr - $remote_user [$time_local] \"$request\" $status"
                    + " $body_bytes_sent \"$http_referer\" \"$http_user_agent\" $request_length $request_time"
                    + " [$proxy_upstream_name] [$proxy_alternative_upstream_name] $upstream_addr"
                    + " $upstream_response_length $upstream_response_time $upstream_status $req_id";
            default -> throw new IllegalArgumentException("no Caravan format for VRL's " + vrlFormat);
        };
    }

    private void vrl() throws Exception {
        for (JsonNode x : JSON.readTree(resource("vrl/vrl_examples.json")).get("examples")) {
            String fn = x.get("function").asText();
            String fmt = x.get("vrl_format").asText();
            Map<String, Object> want = new LinkedHashMap<>();
            boolean nginxError = fn.equals("parse_nginx_log") && fmt.equals("error");
            // nginx error's host is the Host header; everywhere else VRL's host is the client.
            x.get("return").properties().forEach(f -> want.put(nginxError && f.getKey().equals("host") ? "hostport"
                    : VRL_NAMES.getOrDefault(f.getKey(), "vrl." + f.getKey()), Docs.value(f.getValue())));
            compare("vrl", fn + ":" + fmt, x.get("line").asText(), List.of(vrlFormat(fn, fmt)), want, List.of(), false);
        }
    }

    // --- comparison ----------------------------------------------------------------------------------

    private void compare(String peer, String id, String line, List<String> formats, Map<String, Object> want,
            List<String> absent, boolean wallClock) {
        Map<String, Object> got = null;
        String error = null;
        for (String f : formats) {
            try {
                got = Docs.doc(f, line);
                break;
            } catch (ParseException | IllegalArgumentException e) {
                error = (error == null ? "" : error + "; ") + f + ": " + e.getMessage();
            }
        }
        List<String[]> diffs = new ArrayList<>();
        if (got == null) {
            diffs.add(new String[] {"*", "parsed", "refused: " + error});
        } else {
            for (Map.Entry<String, Object> w : want.entrySet()) {
                String field = w.getKey();
                if (IGNORED.stream().anyMatch(field::startsWith)) {
                    continue;
                }
                String d = PeerFields.differs(field, w.getValue(), got, wallClock);
                if (d != null) {
                    diffs.add(new String[] {field, String.valueOf(w.getValue()), d});
                }
            }
            for (String a : absent) {
                if (got.containsKey(a)) {
                    diffs.add(new String[] {a, "absent", String.valueOf(got.get(a))});
                }
            }
        }
        int[] c = counts.computeIfAbsent(peer, k -> new int[3]);
        if (diffs.isEmpty()) {
            c[0]++;
            return;
        }
        boolean all = true;
        for (String[] d : diffs) {
            if (!explain(peer, id, d[0], null)) {
                all = false;
                unexplained.add(peer + "\t" + id + "\t" + d[0] + "\tpeer: " + d[1] + "\tcaravan: " + d[2]);
            }
        }
        if (all) {
            c[1]++;
        } else {
            c[2]++;
        }
    }

    /** Whether {@code peer id field} is listed; a peer-invalid case counts itself as explained. */
    private boolean explain(String peer, String id, String field, String selfReason) {
        String key = peer + "\t" + id + "\t" + field;
        if (selfReason != null) {
            counts.computeIfAbsent(peer, k -> new int[3])[1]++;
            return true;
        }
        if (explained.containsKey(key)) {
            used.add(key);
            return true;
        }
        return false;
    }

    private static Map<String, String> explanations() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : text("explained.tsv").split("\n")) {
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            String[] p = l.split("\t");
            if (p.length < 4 || p[3].isBlank()) {
                throw new IllegalStateException("explained.tsv: 'peer<TAB>case<TAB>field<TAB>reason' expected, got: " + l);
            }
            m.put(p[0] + "\t" + p[1] + "\t" + p[2], p[3]);
        }
        return m;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ConformanceTest.class.getResourceAsStream("/conformance/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource conformance/" + name);
            }
            return in.readAllBytes();
        }
    }

    private static String text(String name) {
        try {
            return new String(resource(name), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
