package caravan.enrich.crs;

import caravan.event.LogEvent;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the requests {@code bench/crs.sh} feeds to both engines: the corpus's access-log lines and
 * the access-log lines {@link CrsRegressionTest} makes of CRS's regression tests, each parsed by
 * Caravan's parser as the index route would, one request a line (see {@link #row}). Beside it, the
 * source lines in the same order, to show a disagreement with its line.
 *
 * <p>Usage: {@code CrsBenchLines <requests.tsv> <lines.log>}
 */
public final class CrsBenchLines {
    private static final Path CORPUS = Path.of("src/test/resources/corpus/apache_combined_10k.log");

    private CrsBenchLines() {
    }

    public static void main(String[] args) throws IOException {
        List<String> sources = new ArrayList<>();
        List<String> rows = new ArrayList<>();
        int failed = add(Parsers.forFormat("combined"), Files.readAllLines(CORPUS, StandardCharsets.UTF_8), sources, rows);
        List<String> regression = new ArrayList<>();
        for (CrsRegressionTest.Case c : CrsRegressionTest.cases(CrsFixtures.rules(), new ArrayList<>())) {
            regression.add(c.line());
        }
        failed += add(Parsers.forFormat(CrsRegressionTest.FORMAT), regression, sources, rows);
        write(Path.of(args[0]), rows);
        write(Path.of(args[1]), sources);
        System.out.printf("CrsBenchLines: %d requests (corpus and %d CRS regression lines), %d lines did not parse%n",
                rows.size(), regression.size(), failed);
    }

    private static int add(LineParser parser, List<String> lines, List<String> sources, List<String> rows) {
        int failed = 0;
        for (String line : lines) {
            LogEvent e = new LogEvent();
            try {
                parser.parse(line, e);
            } catch (ParseException ex) {
                failed++;
                continue;
            }
            if (e.urlOriginal == null || e.method == null) {
                failed++;
                continue;
            }
            sources.add(line);
            rows.add(row(e));
        }
        return failed;
    }

    /**
     * client ip, method, target, HTTP version, User-Agent, Referer, Host: tab-separated, empty when
     * absent, the bytes as Latin-1 (as CRS sees them) with tab, newline, backslash and control bytes
     * as {@code \xHH}.
     */
    static String row(LogEvent e) {
        Object domain = e.get("url.domain");
        Object port = e.get("url.port");
        String host = domain == null ? null : port == null ? domain.toString() : domain + ":" + port;
        return String.join("\t", field(e.sourceIp), field(e.method), field(e.urlOriginal), field(e.httpVersion),
                field(e.userAgent), field(e.referrer), field(host));
    }

    private static String field(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(value.length());
        for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c < 0x20 || c == 0x7f || c == '\\') {
                b.append(String.format("\\x%02x", c));
            } else {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    private static void write(Path file, List<String> lines) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.ISO_8859_1)) {
            for (String l : lines) {
                w.write(l);
                w.write('\n');
            }
        }
    }
}
