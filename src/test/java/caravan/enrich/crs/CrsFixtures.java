package caravan.enrich.crs;

import caravan.event.LogEvent;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The CRS copy under src/test/resources/crs, loaded as the tests need it. */
final class CrsFixtures {
    static final Path RULES = Path.of("src/test/resources/crs/rules");
    static final Path CORPUS = Path.of("src/test/resources/corpus/apache_combined_10k.log");
    static final List<String> HEADERS = List.of("user-agent", "referer", "host");
    /** CRS's own test set-up (rule 900005 in tests/regression/README.md), minus what paranoia already sets. */
    static final Map<String, String> SUITE_SETVARS = Map.of("crs_validate_utf8_encoding", "1", "arg_name_length", "100",
            "arg_length", "400", "total_arg_length", "64000", "max_num_args", "255", "max_file_size", "64100",
            "combined_file_sizes", "65535");

    private static CrsRuleSet rules;

    private CrsFixtures() {
    }

    /** The real corpus's lines, parsed with the {@code combined} format; the few that do not parse are left out. */
    static List<LogEvent> corpus() throws IOException {
        LineParser parser = Parsers.forFormat("combined");
        List<LogEvent> out = new ArrayList<>();
        for (String line : Files.readAllLines(CORPUS, StandardCharsets.UTF_8)) {
            LogEvent e = new LogEvent();
            try {
                parser.parse(line, e);
                out.add(e);
            } catch (ParseException ex) {
                // counted by CrsCorpusTest, which checks that nearly every line parses
            }
        }
        return out;
    }

    static synchronized CrsRuleSet rules() {
        if (rules == null) {
            rules = CrsTestDefaults.load(RULES, List.of(), List.of(), Detectors.libinjection(), Set.copyOf(HEADERS),
                    Exclusions.NONE);
        }
        return rules;
    }
}
