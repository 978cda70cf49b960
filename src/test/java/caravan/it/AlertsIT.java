package caravan.it;

import static caravan.it.AlertsRig.TOKEN;
import static caravan.it.AlertsRig.enc;
import static caravan.it.AlertsRig.json;
import static caravan.it.SeededIncidents.ATTACKER;
import static caravan.it.SeededIncidents.BRUTE;
import static caravan.it.SeededIncidents.T;
import static org.assertj.core.api.Assertions.assertThat;

import caravan.alert.AlertEvent;
import caravan.alert.Analyser;
import caravan.alert.Lease;
import caravan.alert.RulesHolder;
import caravan.search.SearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.internet.MimeMessage;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Analytics, alerts and the API on the real devstack: the 10k corpus goes through the whole
 * pipeline (tail, Kafka, index), seeded incidents through the index route, then the analyser
 * evaluates the corpus range (no alert) and the incident range (exactly the expected alerts, by
 * e-mail to a real SMTP server and by webhook to a real HTTP server).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AlertsIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertsRig rig;
    private Pipeline p;
    private GreenMail smtp;
    private List<JsonNode> hooks;
    private Analyser analyser;
    private List<String> corpusLines;
    private Properties settings;

    @BeforeAll
    void start() throws Exception {
        rig = new AlertsRig();
        p = rig.p;
        smtp = rig.smtp;
        hooks = rig.hooks;
        analyser = rig.analyser;
        corpusLines = rig.corpusLines;
        settings = rig.settings;
    }

    @AfterAll
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    @Order(1)
    void thePlainCorpusRaisesNoAlertAndItsStatisticsMatchAnIndependentCount() throws Exception {
        long t0 = System.nanoTime();
        Analyser.Report r = analyser.backfill(Instant.parse("2015-05-17T00:00:00Z"), T);
        System.out.printf("corpus backfill: %d windows in %d ms%n", r.windows(), (System.nanoTime() - t0) / 1_000_000);
        assertThat(r.events()).isEmpty();
        assertThat(hooks).isEmpty();
        assertThat(smtp.getReceivedMessages()).isEmpty();

        // The same numbers, counted here from the file with a regular expression, minute by minute.
        Pattern combined = Pattern.compile("^(\\S+) \\S+ \\S+ \\[(\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d):\\d\\d [^\\]]+\\] \"[^\"]*\" (\\d{3}) (\\S+)");
        Map<Instant, long[]> totals = new TreeMap<>(); // requests, bytes
        Map<Instant, Map<String, Long>> codes = new HashMap<>();
        Map<Instant, Set<String>> ips = new HashMap<>();
        for (String l : corpusLines) {
            Matcher m = combined.matcher(l);
            assertThat(m.find()).as(l).isTrue();
            Instant w = java.time.LocalDateTime.parse(m.group(2), DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm", Locale.ENGLISH))
                    .toInstant(ZoneOffset.UTC);
            long[] t = totals.computeIfAbsent(w, k -> new long[2]);
            t[0]++;
            t[1] += m.group(4).equals("-") ? 0 : Long.parseLong(m.group(4));
            codes.computeIfAbsent(w, k -> new TreeMap<>()).merge(m.group(3), 1L, Long::sum);
            ips.computeIfAbsent(w, k -> new HashSet<>()).add(m.group(1));
        }
        JsonNode stats = analyser.store().stats(Instant.parse("2015-05-17T00:00:00Z"), T, "apache.access", 10_000);
        assertThat(stats).hasSize(totals.size());
        assertThat(r.windows()).isEqualTo(totals.size());
        for (JsonNode s : stats) {
            Instant w = Instant.parse(s.path("window").path("start").asText());
            assertThat(totals).containsKey(w);
            assertThat(s.path("requests").asLong()).as("requests at %s", w).isEqualTo(totals.get(w)[0]);
            assertThat(s.path("bytes").asLong()).as("bytes at %s", w).isEqualTo(totals.get(w)[1]);
            assertThat(s.path("unique_clients").asLong()).as("clients at %s", w).isEqualTo(ips.get(w).size());
            Map<String, Long> got = new TreeMap<>();
            s.path("status").path("codes").forEach(c -> got.put(c.path("code").asText(), c.path("count").asLong()));
            assertThat(got).as("status codes at %s", w).isEqualTo(codes.get(w));
        }
        // Bots and threats: the per-window totals add up to what Elasticsearch counts over the whole corpus.
        long bots = 0;
        long threats = 0;
        Map<String, Long> botCategories = new TreeMap<>();
        for (JsonNode s : stats) {
            bots += s.path("bots").path("total").asLong();
            threats += s.path("threats").path("total").asLong();
            s.path("bots").path("categories").forEach(c -> botCategories.merge(c.path("name").asText(), c.path("count").asLong(), Long::sum));
        }
        SearchClient es = p.search();
        long botDocs = es.call("POST", "/" + p.indices() + "/_count", "{\"query\":{\"bool\":{\"filter\":[{\"term\":"
                + "{\"caravan.bot.is_bot\":true}},{\"range\":{\"@timestamp\":{\"lt\":\"" + T + "\"}}}]}}}").path("count").asLong();
        assertThat(botDocs).isPositive();
        assertThat(bots).isEqualTo(botDocs);
        assertThat(botCategories.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(botDocs);
        assertThat(threats).isZero(); // ThreatCorpusTest: the rules flag no corpus line
        // The document id is the dataset and the window: evaluating again overwrites.
        analyser.backfill(Instant.parse("2015-05-18T08:00:00Z"), Instant.parse("2015-05-18T09:00:00Z"));
        assertThat(analyser.store().stats(Instant.parse("2015-05-17T00:00:00Z"), T, null, 10_000)).hasSize(totals.size());
    }

    @Test
    @Order(2)
    void seededIncidentsRaiseExactlyTheExpectedAlertsByEmailWebhookAndIndex() throws Exception {
        long t0 = System.nanoTime();
        Analyser.Report r = analyser.backfill(T, T.plusSeconds(25 * 60));
        System.out.printf("incident backfill: %d windows in %d ms%n", r.windows(), (System.nanoTime() - t0) / 1_000_000);
        String ds = "|apache.access|";
        List<String> expectedFiring = List.of(
                "slow-endpoint" + ds + "/api/orders",
                "server-errors" + ds + "apache.access",
                "error-rate" + ds + "apache.access",
                "traffic-spike" + ds + "apache.access",
                "threat-ip" + ds + ATTACKER,
                "new-attacker" + ds + ATTACKER,
                "brute-force" + ds + BRUTE);
        List<String> expected = new ArrayList<>();
        expectedFiring.forEach(k -> expected.add("FIRING " + k));
        expectedFiring.forEach(k -> expected.add("RESOLVED " + k));
        assertThat(r.events()).extracting(e -> e.status() + " " + e.key()).containsExactlyInAnyOrderElementsOf(expected);
        // When: each fires in the window of its incident and resolves in the next one.
        Map<String, Instant> firedAt = new HashMap<>();
        r.events().stream().filter(e -> e.status() == AlertEvent.Status.FIRING).forEach(e -> firedAt.put(e.ruleId(), e.window()));
        assertThat(firedAt).containsEntry("slow-endpoint", T.plusSeconds(5 * 60)).containsEntry("server-errors", T.plusSeconds(8 * 60))
                .containsEntry("error-rate", T.plusSeconds(9 * 60)).containsEntry("traffic-spike", T.plusSeconds(12 * 60))
                .containsEntry("threat-ip", T.plusSeconds(15 * 60)).containsEntry("new-attacker", T.plusSeconds(15 * 60))
                .containsEntry("brute-force", T.plusSeconds(17 * 60));

        // Webhook: one POST per event, Caravan's JSON.
        assertThat(hooks).extracting(h -> h.path("status").asText().toUpperCase(Locale.ROOT) + " " + h.path("key").asText())
                .containsExactlyInAnyOrderElementsOf(expected);
        // E-mail: one per event, through a real SMTP server.
        MimeMessage[] mails = smtp.getReceivedMessages();
        List<String> subjects = new ArrayList<>();
        for (MimeMessage m : mails) {
            subjects.add(m.getSubject());
            assertThat(m.getAllRecipients()[0].toString()).isEqualTo("ops@example.org");
        }
        assertThat(subjects).hasSize(14).contains("[caravan] FIRING high: threat-ip " + ATTACKER,
                "[caravan] RESOLVED medium: brute-force " + BRUTE, "[caravan] FIRING medium: slow-endpoint /api/orders");
        assertThat(String.valueOf(mails[0].getContent())).contains("rule: ").contains("key: ");
        // Index: one document per episode, resolved by now.
        List<JsonNode> docs = analyser.store().alerts(null, "backfill", 100);
        assertThat(docs).hasSize(7).allSatisfy(d -> assertThat(d.path("status").asText()).isEqualTo("resolved"));

        // The statistics of the incident windows carry what the detectors saw.
        JsonNode slow = analyser.store().stats(T.plusSeconds(300), T.plusSeconds(360), "apache.access", 1).get(0);
        assertThat(slow.path("slow_endpoints").toString()).contains("/api/orders");
        JsonNode usual = analyser.store().stats(T, T.plusSeconds(60), "apache.access", 1).get(0);
        JsonNode orders = null;
        for (JsonNode l : usual.path("latency")) {
            if (l.path("path").asText().equals("/api/orders")) {
                orders = l;
            }
        }
        assertThat(orders).isNotNull();
        assertThat(orders.path("count").asLong()).isEqualTo(20);
        assertThat(orders.path("mean_ms").asDouble()).isEqualTo(49.5); // (40 + ... + 59) ms / 20
        JsonNode attack = analyser.store().stats(T.plusSeconds(900), T.plusSeconds(960), "apache.access", 1).get(0);
        assertThat(attack.path("threats").path("total").asLong()).isEqualTo(30);
        assertThat(attack.path("threats").path("ips").get(0).path("ip").asText()).isEqualTo(ATTACKER);
        // Prometheus: the latest window's numbers (minute 24 has no events: minute 19 is the latest).
        String scrape = p.http("/observe/metrics").body();
        assertThat(scrape).contains("caravan_stats_requests{dataset=\"apache.access\"} 100.0");
        assertThat(scrape).contains("caravan_stats_window_start_seconds{dataset=\"apache.access\"} " + (double) T.plusSeconds(19 * 60).getEpochSecond());
    }

    @Test
    @Order(3)
    void theApiSearchesFiltersAndPagesAndRefusesBadInput() throws Exception {
        // Corpus: three 500s (PipelineIT counts them too).
        JsonNode r = json(api("/api/logs?status=500&size=50", TOKEN), 200);
        assertThat(r.path("total").asLong()).isEqualTo(3);
        r.path("hits").forEach(h -> assertThat(h.path("_source").path("http").path("response").path("status_code").asInt()).isEqualTo(500));

        r = json(api("/api/logs?ip=" + ATTACKER + "&from=2015-05-20T22:15:00Z&to=2015-05-20T22:16:00Z&size=100", TOKEN), 200);
        assertThat(r.path("total").asLong()).isEqualTo(30);
        r.path("hits").forEach(h -> assertThat(h.path("_source").path("caravan").path("threat").path("detected").asBoolean()).isTrue());
        r = json(api("/api/logs?threat=local_file_inclusion&status=404&size=0", TOKEN), 200);
        assertThat(r.path("total").asLong()).isEqualTo(15);

        // Query string and paging by cursor: 350 login attempts in pages of 100, none twice.
        Set<String> ids = new HashSet<>();
        String next = null;
        int pages = 0;
        do {
            r = json(api("/api/logs?q=" + enc("url.path:\"/login\" AND http.request.method:POST") + "&size=100"
                    + (next == null ? "" : "&search_after=" + next), TOKEN), 200);
            r.path("hits").forEach(h -> ids.add(h.path("_id").asText()));
            next = r.path("next").asText(null);
            pages++;
        } while (next != null && pages < 10);
        assertThat(ids).hasSize(350);
        assertThat(pages).isEqualTo(4);
        // Paging by offset.
        JsonNode page2 = json(api("/api/logs?path=/login&size=100&offset=100", TOKEN), 200);
        assertThat(page2.path("hits")).hasSize(100);

        // Stats, alerts, rules.
        r = json(api("/api/stats?from=2015-05-20T22:00:00Z&to=2015-05-20T22:20:00Z&dataset=apache.access", TOKEN), 200);
        assertThat(r.path("count").asInt()).isEqualTo(20);
        assertThat(r.path("windows").get(12).path("requests").asLong()).isEqualTo(1100);
        r = json(api("/api/alerts?status=resolved", TOKEN), 200);
        assertThat(r.path("count").asInt()).isEqualTo(7);
        r = json(api("/api/rules", TOKEN), 200);
        assertThat(r.path("rules")).hasSize(7);
        assertThat(r.path("rules").get(0).path("id").asText()).isEqualTo("error-rate");

        // A back-fill on demand: one corpus hour, one window with events, no alert.
        r = json(rig.post("/api/analyse?from=2015-05-18T08:00:00Z&to=2015-05-18T09:00:00Z"), 200);
        assertThat(r.path("windows").asInt()).isEqualTo(1);
        assertThat(r.path("events")).isEmpty();
        assertThat(json(rig.post("/api/analyse?from=2015-05-18"), 400).path("error").asText()).contains("'from' and 'to' are required");

        // OpenAPI document.
        HttpResponse<String> doc = api("/api/openapi.json", null);
        assertThat(doc.statusCode()).isEqualTo(200);
        JsonNode openapi = JSON.readTree(doc.body());
        assertThat(openapi.path("openapi").asText()).startsWith("3.");
        assertThat(openapi.path("paths").toString()).contains("/logs").contains("/stats").contains("/alerts").contains("/rules");

        // Bad input: 400 with a message, never 500.
        assertThat(json(api("/api/logs?status=abc", TOKEN), 400).path("error").asText()).contains("'status'").contains("abc");
        assertThat(json(api("/api/logs?size=-1", TOKEN), 400).path("error").asText()).contains("'size'");
        assertThat(json(api("/api/logs?size=many", TOKEN), 400).path("error").asText()).contains("not a whole number");
        assertThat(json(api("/api/logs?from=yesterday-ish", TOKEN), 400).path("error").asText()).contains("'from'");
        assertThat(json(api("/api/logs?from=2015-05-21&to=2015-05-20", TOKEN), 400).path("error").asText()).contains("before");
        assertThat(json(api("/api/logs?stauts=500", TOKEN), 400).path("error").asText()).contains("unknown parameter 'stauts'");
        assertThat(json(api("/api/logs?q=" + enc("status:[500 TO"), TOKEN), 400).path("error").asText()).contains("refused the query");
        assertThat(json(api("/api/logs?search_after=garbage", TOKEN), 400).path("error").asText()).contains("cursor");
        assertThat(json(api("/api/logs?offset=9990&size=100", TOKEN), 400).path("error").asText()).contains("search_after");
        assertThat(json(api("/api/alerts?status=burning", TOKEN), 400).path("error").asText()).contains("firing, resolved or all");

        // Token: missing or wrong gets 401.
        HttpResponse<String> none = api("/api/logs", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(api("/api/logs", TOKEN + "x").statusCode()).isEqualTo(401);
        assertThat(api("/api/rules", "nope").statusCode()).isEqualTo(401);
    }

    @Test
    @Order(4)
    void aBrokenRulesEditKeepsTheRulesInForce() throws Exception {
        RulesHolder rules = analyser.rules();
        Path file = rules.file();
        String good = Files.readString(file);
        double failures = RulesHolder.failures().count();
        Files.writeString(file, good.replace("    above: 300\n", "    above: three hundred\n"));
        // Route "analyse-rules" looks at the file every second (caravan.alert.rules-reload-seconds=1 here).
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> rules.lastError() != null);
        assertThat(rules.rules()).hasSize(7);
        assertThat(rules.lastError()).contains(file.toString()).contains("rule 'brute-force'").contains("field 'above'");
        assertThat(RulesHolder.failures().count()).isEqualTo(failures + 1);
        assertThat(p.http("/observe/metrics").body()).contains("caravan_alert_rules_last_success 0.0");
        assertThat(json(api("/api/rules", TOKEN), 200).path("last_error").asText()).contains("field 'above'");

        Files.writeString(file, good.replace("  - id: new-attacker\n", "  - id: new-attacker\n    enabled: false\n"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> rules.rules().size() == 6);
        assertThat(p.http("/observe/metrics").body()).contains("caravan_alert_rules_last_success 1.0");
        assertThat(rules.lastError()).isNull();
    }

    @Test
    @Order(5)
    void theLeaseGoesToOneProcessAtATimeAndToAnotherWhenItExpires() throws Exception {
        SearchClient es = p.search();
        String index = "caravan-" + p.namespace + "-leases-test";
        Clock c = Clock.systemUTC();
        Lease a = new Lease(es, index, "analyse", "a", Duration.ofSeconds(2), c);
        Lease b = new Lease(es, index, "analyse", "b", Duration.ofSeconds(2), c);
        assertThat(a.acquire()).isTrue();
        assertThat(b.acquire()).isFalse();
        assertThat(a.acquire()).isTrue(); // renewal
        assertThat(a.advance(T)).isTrue();
        Thread.sleep(2_100);
        assertThat(b.acquire()).isTrue();
        assertThat(b.evaluatedUntil()).isEqualTo(T); // b goes on where a stopped
        assertThat(a.acquire()).isFalse();
        assertThat(a.advance(T.plusSeconds(60))).isFalse();
        b.release();
        assertThat(a.acquire()).isTrue();
        // The live analyser of this runtime took its own lease (route "analyse").
        JsonNode live = es.call("GET", "/caravan-" + p.namespace + "-leases/_doc/analyse", null);
        assertThat(live.path("_source").path("owner").asText()).contains("@");
    }

    @Test
    @Order(6)
    void liveEvaluationRunsInOneProcessAtATimeAndTheNextHolderGoesOnWhereItStopped() throws Exception {
        // Two analysers as two processes would have them, on one lease, with a clock the test moves.
        MutableClock clock = new MutableClock();
        Duration delay = analyser.settings().delay();
        Duration ttl = analyser.settings().leaseTtl();
        SearchClient es = p.search();
        Analyser a = new Analyser(analyser.settings(), analyser.store(), analyser.rules(), analyser.notifiers(),
                new Lease(es, analyser.store().leasesIndex(), "analyse-it", "process-a", ttl, clock), clock);
        Analyser b = new Analyser(analyser.settings(), analyser.store(), analyser.rules(), analyser.notifiers(),
                new Lease(es, analyser.store().leasesIndex(), "analyse-it", "process-b", ttl, clock), clock);
        int hooksBefore = hooks.size();

        // 22:05:01 + delay: the last closed window old enough is 22:04.
        clock.set(T.plusSeconds(5 * 60 + 1).plus(delay));
        Analyser.Report r = a.runLive();
        assertThat(r.from()).isEqualTo(T.plusSeconds(4 * 60));
        assertThat(r.to()).isEqualTo(T.plusSeconds(5 * 60));
        assertThat(r.events()).isEmpty();
        assertThat(b.runLive().windows()).as("b does not hold the lease").isZero();

        // One window later: the slow endpoint of 22:05 fires, in process a only.
        clock.set(T.plusSeconds(6 * 60 + 1).plus(delay));
        assertThat(b.runLive().windows()).isZero();
        r = a.runLive();
        assertThat(r.events()).extracting(e -> e.status() + " " + e.key())
                .containsExactly("FIRING slow-endpoint|apache.access|/api/orders");
        assertThat(a.liveFiring()).hasSize(1);

        // a stops renewing (it died); once the lease has expired, b takes over from a's evaluated_until,
        // knows the alert a raised (from the alerts index), and resolves it instead of raising it again.
        clock.set(T.plusSeconds(6 * 60 + 1).plus(delay).plus(ttl).plusSeconds(1));
        r = b.runLive();
        assertThat(r.from()).isEqualTo(T.plusSeconds(6 * 60));
        assertThat(r.events()).extracting(e -> e.status() + " " + e.key())
                .containsExactly("RESOLVED slow-endpoint|apache.access|/api/orders");
        assertThat(a.runLive().windows()).isZero();
        assertThat(hooks.subList(hooksBefore, hooks.size())).extracting(h -> h.path("status").asText() + " " + h.path("mode").asText())
                .containsExactly("firing live", "resolved live");
    }

    @Test
    @Order(7)
    void aCleanStopGivesTheLeaseUp() throws Exception {
        SearchClient es = p.esClient();
        String path = "/caravan-" + p.namespace + "-leases/_doc/analyse";
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> es.call("GET", path, null).path("_source").path("owner").asText().contains("@"));
        p.stop();
        JsonNode lease = es.call("GET", path, null).path("_source");
        assertThat(lease.path("owner").asText()).isEmpty();
        assertThat(Instant.parse(lease.path("expires").asText())).isBefore(Instant.now().plusSeconds(1));
    }

    @Test
    @Order(8)
    void theAnalyseCommandBackFillsWithoutAPipeline() throws Exception {
        // The pipeline is stopped by now: the command needs only Elasticsearch and the settings.
        Path config = p.writeConfig(settings, "analyse.properties");
        int hooksBefore = hooks.size();
        String out = p.caravan(config, "analyse", "--from", T.toString(), "--to", T.plusSeconds(25 * 60).toString());
        // The same alerts as the first back-fill but one: the attacker is no longer new, its IP is in
        // the statistics that back-fill wrote.
        assertThat(out).contains("2015-05-20T22:15:00Z FIRING high threat-ip|apache.access|" + ATTACKER,
                        "2015-05-20T22:18:00Z RESOLVED medium brute-force|apache.access|" + BRUTE,
                        "2015-05-20T22:05:00Z FIRING medium slow-endpoint|apache.access|/api/orders",
                        "6 alerts fired, 6 resolved")
                .doesNotContain("new-attacker");
        assertThat(hooks).hasSize(hooksBefore + 12); // notified like any back-fill
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> p.caravan(config, "analyse", "--from", "2015-05-18", "--to", "2015-07-18"))
                .hasMessageContaining("exited 2").hasMessageContaining("at most 31 days apart");
    }

    private HttpResponse<String> api(String path, String token) throws Exception {
        return rig.api(path, token);
    }
}
