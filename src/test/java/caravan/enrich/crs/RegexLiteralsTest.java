package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import caravan.event.LogEvent;
import caravan.parse.LineParser;
import caravan.parse.Parsers;
import com.google.re2j.Pattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The prefilter's literals are a necessary condition: whenever a regex matches a value, the value
 * (without case) contains one of the literals found for it. Checked for every {@code @rx} in CRS 4
 * against every request value of CRS's regression cases and of the corpus, plain and lower-cased.
 */
class RegexLiteralsTest {
    @Test
    void literalsOfSmallPatterns() {
        assertThat(set("(?i)union\\s+select")).containsExactlyInAnyOrder("select"); // the longer of the two
        assertThat(set("';")).containsExactly("';");
        assertThat(set("[<>]x")).containsExactlyInAnyOrder("<x", ">x");
        assertThat(set("a[0-3]")).containsExactlyInAnyOrder("a0", "a1", "a2", "a3");
        assertThat(set("\\d\\d")).hasSize(10).contains("0", "9"); // 100 pairs are too many: one digit
        assertThat(set("[\\s\\x0b]+=")).containsExactlyInAnyOrder("=");
        assertThat(set("@+\\{")).containsExactlyInAnyOrder("@"); // as selective as "{": the first kept
        assertThat(set("^$")).isNull(); // the empty value matches: nothing is required
        assertThat(set("a?b?")).isNull();
        assertThat(set("[^a]")).isNull();
        assertThat(set("[a-z]{3}")).isNull(); // 26 letters: too wide to list
    }

    @Test
    void aLongLiteralIsReadInLinearTime() {
        String literal = "timeout1 <br>".repeat(20_000); // 260 KB: minutes when every atom copied the run so far
        List<String> required = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> RegexLiterals.required(literal));
        assertThat(required).isNotEmpty().allSatisfy(r -> assertThat(literal).contains(r));
    }

    @Test
    void everyCrsRegexMatchContainsOneOfItsLiterals() throws Exception {
        Set<String> values = new LinkedHashSet<>();
        LineParser parser = Parsers.forFormat(CrsRegressionTest.FORMAT);
        for (CrsRegressionTest.Case c : CrsRegressionTest.cases(CrsFixtures.rules(), new ArrayList<>())) {
            LogEvent e = new LogEvent();
            parser.parse(c.line(), e);
            add(values, RequestData.of(e, CrsFixtures.HEADERS));
        }
        for (LogEvent e : CrsFixtures.corpus()) {
            add(values, RequestData.of(e, CrsFixtures.HEADERS));
        }
        List<String> patterns = new ArrayList<>();
        CrsRuleSet rules = CrsFixtures.rules();
        for (List<CrsRule> phase : List.of(rules.phase1, rules.phase2)) {
            for (CrsRule head : phase) {
                for (CrsRule link = head; link != null; link = link.next) {
                    String op = link.operatorText.strip();
                    op = op.startsWith("!") ? op.substring(1).strip() : op;
                    if (op.startsWith("@rx ") && !op.contains("%{")) {
                        patterns.add(op.substring(4));
                    }
                }
            }
        }
        int filtered = 0;
        int matches = 0;
        for (String p : patterns) {
            List<String> literals = RegexLiterals.required(p);
            Pattern re;
            try {
                re = CrsTestDefaults.regex(p);
            } catch (RuntimeException e) {
                continue; // a pattern RE2 cannot compile is skipped by the engine too
            }
            if (literals == null) {
                continue;
            }
            filtered++;
            for (String v : values) {
                if (re.matcher(v).find()) {
                    matches++;
                    String folded = v.toLowerCase(Locale.ROOT);
                    assertThat(literals.stream().anyMatch(folded::contains)).as("%s matches %s but holds none of %s", p, v, literals)
                            .isTrue();
                }
            }
        }
        assertThat(filtered).as("CRS regexes with literals").isGreaterThan(200);
        assertThat(matches).as("matches checked").isGreaterThan(10_000);
    }

    private static void add(Set<String> values, RequestData r) {
        for (String v : new String[] {r.requestLine, r.uri, r.filename, r.basename, r.queryString}) {
            if (v != null) {
                values.add(v);
                values.add(Transforms.named("urlDecodeUni").apply(v));
            }
        }
        r.args.forEach(a -> {
            values.add(a.key());
            values.add(a.value());
        });
        r.headers.forEach(h -> values.add(h.value()));
    }

    private static Set<String> set(String pattern) {
        List<String> l = RegexLiterals.required(pattern);
        return l == null ? null : Set.copyOf(l);
    }
}
