package caravan.enrich.crs.libinjection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * CRS's own regression cases for its two libinjection rules, 942100 (@detectSQLi) and 941100
 * (@detectXSS), copied under src/test/resources/libinjection/crs with CRS's licence. Each case's
 * request is cut into the variables the rule inspects (User-Agent, Referer for 942100, argument
 * names and values from the query string or form body, XML attribute values), each value goes
 * through the rule's transformations and then the detector; the rule fires if any value is
 * detected. The transformations here are the subset these payloads need (URL, HTML entity and
 * JavaScript escapes, NULs); the CRS engine's own transformation code is tested with the engine.
 */
class CrsLibInjectionRegressionTest {
    private static final Pattern XML_ATTRIBUTE = Pattern.compile("\\s[\\w:-]+=\"([^\"]*)\"");

    @Test
    void rule942100DetectsSqlInjectionCases() throws IOException {
        Result r = run("942100.yaml", true, v -> LibInjection.isSqli(removeNulls(urlDecodeUni(v))));
        System.out.printf("CRS 942100 (@detectSQLi): %d/%d expect_ids cases detected, %d/%d no_expect_ids quiet%n",
                r.detected, r.attacks, r.quiet, r.benign);
        r.misses.forEach(m -> System.out.println("  942100 wrong verdict: " + m));
        assertThat(r.attacks).isEqualTo(15);
        assertThat(LibInjection.isSqli("OWASP CRS test agent")).as("the tests' User-Agent").isFalse();
        assertThat(r.misses).isEmpty();
    }

    @Test
    void rule941100DetectsXssCases() throws IOException {
        UnaryOperator<String> transform = v -> removeNulls(jsDecode(htmlEntityDecode(urlDecodeUni(v))));
        Result r = run("941100.yaml", false, v -> LibInjection.isXss(transform.apply(v)));
        System.out.printf("CRS 941100 (@detectXSS): %d/%d expect_ids cases detected, %d/%d no_expect_ids quiet%n",
                r.detected, r.attacks, r.quiet, r.benign);
        r.misses.forEach(m -> System.out.println("  941100 wrong verdict: " + m));
        assertThat(r.attacks).isEqualTo(5);
        assertThat(r.benign).isEqualTo(2);
        assertThat(r.misses).isEmpty();
    }

    private record Result(int attacks, int detected, int benign, int quiet, List<String> misses) {
    }

    @SuppressWarnings("unchecked")
    private static Result run(String file, boolean withReferer, Predicate<String> detector) throws IOException {
        Map<String, Object> doc;
        try (InputStream in = CrsLibInjectionRegressionTest.class.getResourceAsStream("/libinjection/crs/" + file)) {
            doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromInputStream(in);
        }
        int attacks = 0;
        int detected = 0;
        int benign = 0;
        int quiet = 0;
        List<String> misses = new ArrayList<>();
        for (Map<String, Object> test : (List<Map<String, Object>>) doc.get("tests")) {
            for (Map<String, Object> stage : (List<Map<String, Object>>) test.get("stages")) {
                Map<String, Object> input = (Map<String, Object>) stage.get("input");
                Map<String, Object> log = (Map<String, Object>) ((Map<String, Object>) stage.get("output")).get("log");
                boolean fired = values(input, withReferer).stream().anyMatch(detector);
                boolean expected = log.containsKey("expect_ids");
                if (expected) {
                    attacks++;
                    detected += fired ? 1 : 0;
                } else {
                    benign++;
                    quiet += fired ? 0 : 1;
                }
                if (fired != expected) {
                    misses.add("test " + test.get("test_id") + ": " + input);
                }
            }
        }
        return new Result(attacks, detected, benign, quiet, misses);
    }

    /** The rule's variables in one request, as ModSecurity fills them (argument parsing URL-decodes). */
    @SuppressWarnings("unchecked")
    private static List<String> values(Map<String, Object> input, boolean withReferer) {
        List<String> values = new ArrayList<>();
        Map<String, Object> headers = (Map<String, Object>) input.getOrDefault("headers", Map.of());
        values.add(String.valueOf(headers.getOrDefault("User-Agent", "")));
        if (withReferer && headers.containsKey("Referer")) {
            values.add(String.valueOf(headers.get("Referer")));
        }
        String uri = String.valueOf(input.getOrDefault("uri", ""));
        if (uri.indexOf('?') >= 0) {
            addArgs(uri.substring(uri.indexOf('?') + 1), values);
        }
        String data = String.valueOf(input.getOrDefault("data", ""));
        if (data.startsWith("<?xml")) {
            Matcher m = XML_ATTRIBUTE.matcher(data.substring(data.indexOf("?>") + 2));
            while (m.find()) {
                values.add(htmlEntityDecode(m.group(1))); // the XML parser resolves entities
            }
        } else if (!data.isEmpty()) {
            addArgs(data, values);
        }
        return values;
    }

    private static void addArgs(String query, List<String> into) {
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            into.add(urlDecodeUni(eq < 0 ? pair : pair.substring(0, eq)));
            if (eq >= 0) {
                into.add(urlDecodeUni(pair.substring(eq + 1)));
            }
        }
    }

    /** '+' is a space, %XX a byte (taken as Latin-1 here), %uXXXX a code unit; malformed escapes stay. */
    static String urlDecodeUni(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '+') {
                out.append(' ');
            } else if (c == '%' && i + 5 < s.length() && (s.charAt(i + 1) | 0x20) == 'u' && hex(s, i + 2, 4) >= 0) {
                out.append((char) hex(s, i + 2, 4));
                i += 5;
            } else if (c == '%' && i + 2 < s.length() && hex(s, i + 1, 2) >= 0) {
                out.append((char) hex(s, i + 1, 2));
                i += 2;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static String htmlEntityDecode(String s) {
        Matcher m = Pattern.compile("&(#[xX]([0-9a-fA-F]+)|#([0-9]+)|lt|gt|quot|amp|apos|nbsp);?").matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String e = m.group(1);
            int c = m.group(2) != null ? Integer.parseInt(m.group(2), 16) : m.group(3) != null
                    ? Integer.parseInt(m.group(3)) : switch (e) {
                        case "lt" -> '<';
                        case "gt" -> '>';
                        case "quot" -> '"';
                        case "amp" -> '&';
                        case "apos" -> '\'';
                        default -> 0xa0;
                    };
            m.appendReplacement(out, Matcher.quoteReplacement(new String(Character.toChars(c))));
        }
        return m.appendTail(out).toString();
    }

    /** JavaScript escapes: backslash-x HH, backslash-u HHHH; a backslash before anything else is dropped. */
    static String jsDecode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                out.append(c);
            } else if (s.charAt(i + 1) == 'x' && hex(s, i + 2, 2) >= 0) {
                out.append((char) hex(s, i + 2, 2));
                i += 3;
            } else if (s.charAt(i + 1) == 'u' && hex(s, i + 2, 4) >= 0) {
                out.append((char) hex(s, i + 2, 4));
                i += 5;
            } else {
                out.append(s.charAt(++i));
            }
        }
        return out.toString();
    }

    static String removeNulls(String s) {
        return s.replace("\0", "");
    }

    private static int hex(String s, int from, int digits) {
        if (from + digits > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < from + digits; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = v * 16 + d;
        }
        return v;
    }
}
