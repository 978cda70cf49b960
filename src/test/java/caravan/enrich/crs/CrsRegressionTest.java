package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.parse.LineParser;
import caravan.event.LogEvent;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * CRS's own regression tests, as an access log sees them: every test whose payload sits in the
 * request line, User-Agent, Referer or Host becomes a log line, parsed like any other and run
 * through the engine at paranoia level 4 with CRS's test set-up. Every test left out, and why,
 * is in {@code src/test/resources/crs/left-out.txt}, which this test regenerates and compares.
 */
class CrsRegressionTest {
    private static final Path TESTS = Path.of("src/test/resources/crs/tests/regression/tests");
    private static final Path LEFT_OUT = Path.of("src/test/resources/crs/left-out.txt");
    static final String FORMAT = "apache:%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\" \"%{Host}i\"";
    /** Headers an access log does not hold but whose plain values (no payload) the tests send everywhere. */
    private static final Set<String> PLAIN_HEADERS = Set.of("accept", "accept-encoding", "accept-language", "connection",
            "content-type", "content-length", "cache-control", "pragma", "keep-alive", "proxy-connection",
            "upgrade-insecure-requests", "te");

    record Case(String name, String line, List<Integer> expect, List<Integer> noExpect) {
    }

    @Test
    void expectedRulesFireAndSilentRulesStaySilentAtParanoia4() throws Exception {
        CrsRuleSet rules = CrsFixtures.rules();
        List<String> leftOut = new ArrayList<>();
        List<Case> cases = cases(rules, leftOut);
        LineParser parser = Parsers.forFormat(FORMAT);
        CrsEngine pl4 = new CrsEngine(rules, 4, 5, CrsFixtures.SUITE_SETVARS);
        int expectCases = 0;
        int expectPass = 0;
        int silentCases = 0;
        int silentPass = 0;
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            LogEvent e = new LogEvent();
            parser.parse(c.line(), e);
            List<Integer> fired = pl4.evaluate(RequestData.of(e, CrsFixtures.HEADERS)).ruleIds();
            if (!c.expect().isEmpty()) {
                expectCases++;
                if (fired.containsAll(c.expect())) {
                    expectPass++;
                } else {
                    failures.add("missed " + c.expect() + " " + c.name() + " fired " + fired + " :: " + c.line());
                }
            }
            if (!c.noExpect().isEmpty()) {
                silentCases++;
                if (c.noExpect().stream().noneMatch(fired::contains)) {
                    silentPass++;
                } else {
                    failures.add("false " + c.noExpect() + " " + c.name() + " fired " + fired + " :: " + c.line());
                }
            }
        }
        Files.createDirectories(Path.of("target"));
        Files.write(Path.of("target/crs-regression-failures.txt"), failures, StandardCharsets.UTF_8);
        Files.writeString(Path.of("target/crs-left-out.txt"), String.join("\n", leftOut) + "\n", StandardCharsets.UTF_8);
        System.out.printf("CRS regression at PL4: expect_ids %d/%d (%.1f%%), no_expect_ids %d/%d (%.1f%%), left out %d%n",
                expectPass, expectCases, 100.0 * expectPass / expectCases, silentPass, silentCases,
                100.0 * silentPass / silentCases, leftOut.size());
        for (int pl = 1; pl <= 2; pl++) {
            shareWithVerdict(rules, cases, parser, pl);
        }
        assertThat(String.join("\n", leftOut) + "\n").isEqualTo(Files.readString(LEFT_OUT, StandardCharsets.UTF_8));
        assertThat(100.0 * expectPass / expectCases).isGreaterThanOrEqualTo(ExpectedCoverage.EXPECT_IDS_PERCENT);
        assertThat(100.0 * silentPass / silentCases).isGreaterThanOrEqualTo(ExpectedCoverage.NO_EXPECT_IDS_PERCENT);
    }

    /** What an operator running the default sees: attack cases with any CRS rule, and with a detection. */
    private static void shareWithVerdict(CrsRuleSet rules, List<Case> cases, LineParser parser, int pl) throws ParseException {
        CrsEngine engine = new CrsEngine(rules, pl, 5);
        int attacks = 0;
        int anyRule = 0;
        int detected = 0;
        for (Case c : cases) {
            if (c.expect().isEmpty()) {
                continue;
            }
            attacks++;
            LogEvent e = new LogEvent();
            parser.parse(c.line(), e);
            CrsEngine.Verdict v = engine.evaluate(RequestData.of(e, CrsFixtures.HEADERS));
            anyRule += v.rules().isEmpty() ? 0 : 1;
            detected += v.anomalyScore() >= 5 ? 1 : 0;
        }
        System.out.printf("CRS at PL%d: %d/%d attack cases (%.1f%%) get a CRS rule, %d (%.1f%%) reach score 5%n", pl,
                anyRule, attacks, 100.0 * anyRule / attacks, detected, 100.0 * detected / attacks);
    }

    static List<Case> cases(CrsRuleSet rules, List<String> leftOut) throws IOException {
        List<Case> out = new ArrayList<>();
        TreeSet<String> why = new TreeSet<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(TESTS)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        Load yaml = new Load(LoadSettings.builder().build());
        for (Path f : files) {
            Map<?, ?> doc = null;
            for (Object d : yaml.loadAllFromString(Files.readString(f, StandardCharsets.UTF_8))) {
                doc = d instanceof Map<?, ?> m && m.containsKey("tests") ? m : doc;
            }
            if (doc == null) {
                continue;
            }
            for (Object t : (List<?>) doc.get("tests")) {
                Map<?, ?> test = (Map<?, ?>) t;
                String name = f.getFileName().toString().replace(".yaml", "") + "#" + test.get("test_id");
                String reason = caseOf(name, test, rules, out);
                if (reason != null) {
                    why.add(name + ": " + reason);
                }
            }
        }
        leftOut.addAll(why);
        return out;
    }

    /** Adds the case to {@code out}, or returns why it is left out. */
    private static String caseOf(String name, Map<?, ?> test, CrsRuleSet rules, List<Case> out) {
        List<?> stages = (List<?>) test.get("stages");
        if (stages.size() != 1) {
            return "several stages";
        }
        Map<?, ?> stage = (Map<?, ?>) stages.get(0);
        Map<?, ?> input = (Map<?, ?>) (stage.containsKey("stage") ? ((Map<?, ?>) stage.get("stage")).get("input") : stage.get("input"));
        Map<?, ?> output = (Map<?, ?>) (stage.containsKey("stage") ? ((Map<?, ?>) stage.get("stage")).get("output") : stage.get("output"));
        Map<?, ?> log = output == null ? null : (Map<?, ?>) output.get("log");
        List<Integer> expect = ids(log, "expect_ids");
        List<Integer> noExpect = ids(log, "no_expect_ids");
        if (expect.isEmpty() && noExpect.isEmpty()) {
            return "no rule expectation (status or response checks only)";
        }
        if (input.containsKey("encoded_request") || input.containsKey("raw_request")) {
            return "raw request bytes, not a request line";
        }
        Object data = input.get("data");
        if (data != null && !String.valueOf(data).isEmpty()) {
            return "payload in the request body";
        }
        Map<String, String> headers = new java.util.HashMap<>();
        if (input.get("headers") instanceof Map<?, ?> h) {
            for (Map.Entry<?, ?> e : h.entrySet()) {
                String header = String.valueOf(e.getKey()).toLowerCase(Locale.ROOT);
                String value = String.valueOf(e.getValue());
                headers.put(header, value);
                if (!CrsFixtures.HEADERS.contains(header) && !(PLAIN_HEADERS.contains(header) && plain(value))) {
                    return "header " + e.getKey() + " is not in an access log";
                }
            }
        }
        for (int id : expect) {
            String not = rules.whyNotInForce(id);
            if (not != null) {
                return "rule " + id + " cannot run on an access log: " + not;
            }
        }
        if (expect.isEmpty() && noExpect.stream().allMatch(id -> rules.whyNotInForce(id) != null)) {
            return "rule " + noExpect + " cannot run on an access log: " + rules.whyNotInForce(noExpect.get(0));
        }
        String method = String.valueOf(input.get("method") == null ? "GET" : input.get("method"));
        String uri = String.valueOf(input.get("uri") == null ? "/" : input.get("uri"));
        String version = input.get("version") == null ? "HTTP/1.1" : String.valueOf(input.get("version"));
        String request = method + " " + uri + (version.isEmpty() ? "" : " " + version);
        String line = "127.0.0.1 - - [03/Dec/2026:00:00:00 +0000] \"" + escape(request) + "\" 200 0 \""
                + logged(headers.get("referer")) + "\" \"" + logged(headers.get("user-agent")) + "\" \""
                + logged(headers.get("host")) + "\"";
        try {
            Parsers.forFormat(FORMAT).parse(line, new LogEvent());
        } catch (ParseException e) {
            return "the access-log line does not parse: " + e.getMessage();
        }
        out.add(new Case(name, line, expect, noExpect));
        return null;
    }

    private static boolean plain(String value) {
        return value.length() < 300 && value.matches("[A-Za-z0-9 ,;=./*+:()_-]*");
    }

    private static List<Integer> ids(Map<?, ?> log, String key) {
        if (log == null || !(log.get(key) instanceof List<?> l)) {
            return List.of();
        }
        return l.stream().map(o -> Integer.parseInt(String.valueOf(o))).toList();
    }

    private static String logged(String v) {
        return v == null ? "-" : escape(v);
    }

    /** As Apache writes a value into its log: quotes and backslashes escaped, other bytes outside printable ASCII as \xhh. */
    static String escape(String s) {
        return FuzzTargets.escape(s.getBytes(StandardCharsets.UTF_8));
    }
}
