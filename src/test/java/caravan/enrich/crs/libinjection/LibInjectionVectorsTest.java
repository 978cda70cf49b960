package caravan.enrich.crs.libinjection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * libinjection's own unit vectors (tests/test-*.txt of client9/libinjection, BSD-3-Clause, copied
 * under src/test/resources/libinjection): SQL tokens, folding, fingerprints, HTML5 tokens and XSS
 * verdicts, each compared with the published expected output byte for byte. Files are read as
 * Latin-1 so every byte of the input reaches the detectors unchanged.
 */
class LibInjectionVectorsTest {
    private static final Map<String, int[]> PASSED = new TreeMap<>();

    @TestFactory
    Stream<DynamicTest> publishedVectors() throws IOException, URISyntaxException {
        Path dir = Path.of(LibInjectionVectorsTest.class.getResource("/libinjection/tests").toURI());
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().startsWith("test-")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThan(400);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> check(f)));
    }

    @AfterAll
    static void summary() {
        PASSED.forEach((kind, c) -> System.out.printf("libinjection vectors %-8s %d/%d passed%n", kind, c[0], c[1]));
    }

    private static void check(Path file) throws IOException {
        String name = file.getFileName().toString();
        String kind = name.substring("test-".length(), name.indexOf('-', "test-".length()));
        String[] sections = sections(Files.readString(file, StandardCharsets.ISO_8859_1));
        byte[] input = sections[0].getBytes(StandardCharsets.ISO_8859_1);
        String actual = rtrim(switch (kind) {
            case "tokens" -> tokens(input);
            case "folding" -> folding(input);
            case "sqli" -> {
                String fp = LibInjection.sqliFingerprint(input);
                yield fp == null ? "" : fp;
            }
            case "html5" -> html5(input);
            case "xss" -> LibInjection.isXss(input) ? "1" : "0";
            default -> throw new IllegalArgumentException("unknown vector kind " + kind);
        });
        int[] counts = PASSED.computeIfAbsent(kind, k -> new int[2]);
        synchronized (counts) {
            counts[1]++;
            if (actual.equals(sections[1])) {
                counts[0]++;
            }
        }
        assertThat(actual).as("%s, input [%s]", name, sections[0]).isEqualTo(sections[1]);
    }

    /** The INPUT and EXPECTED sections, each right-trimmed as libinjection's test driver does. */
    private static String[] sections(String text) {
        StringBuilder input = new StringBuilder();
        StringBuilder expected = new StringBuilder();
        StringBuilder into = null;
        for (String line : text.split("(?<=\n)")) {
            switch (line) {
                case "--TEST--\n" -> into = new StringBuilder();
                case "--INPUT--\n" -> into = input;
                case "--EXPECTED--\n" -> into = expected;
                default -> into.append(line);
            }
        }
        return new String[] {rtrim(input.toString()), rtrim(expected.toString())};
    }

    static String rtrim(String s) {
        int n = s.length();
        while (n > 0 && " \n\t\r".indexOf(s.charAt(n - 1)) >= 0) {
            n--;
        }
        return s.substring(0, n);
    }

    static String tokens(byte[] input) {
        SqlTokenizer tokenizer = new SqlTokenizer(input);
        tokenizer.reset((byte) 0, false);
        SqlToken t = new SqlToken();
        StringBuilder out = new StringBuilder();
        while (tokenizer.next(t)) {
            print(t, out);
        }
        return out.toString();
    }

    static String folding(byte[] input) {
        SqlTokenizer tokenizer = new SqlTokenizer(input);
        tokenizer.reset((byte) 0, false);
        SqlFolder folder = new SqlFolder(tokenizer);
        int n = folder.fold();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            print(folder.tokens[i], out);
        }
        return out.toString();
    }

    /** A token as libinjection's test driver prints it: type, space, text with its quotes. */
    static void print(SqlToken t, StringBuilder out) {
        out.append(t.type.code).append(' ');
        if (t.type == SqlTokenType.VARIABLE) {
            out.append("@".repeat(Math.min(t.atSigns, 2)));
        }
        boolean quoted = t.type == SqlTokenType.STRING || t.type == SqlTokenType.VARIABLE;
        if (quoted && t.open != 0) {
            out.append((char) (t.open & 0xff));
        }
        out.append(t.textAsString());
        if (quoted && t.close != 0) {
            out.append((char) (t.close & 0xff));
        }
        out.append('\n');
    }

    static String html5(byte[] input) {
        Html5Tokenizer h = new Html5Tokenizer(input, Html5Tokenizer.Start.DATA);
        StringBuilder out = new StringBuilder();
        while (h.next()) {
            int end = h.start;
            while (end < h.start + h.length && input[end] != 0) {
                end++;
            }
            out.append(h.type).append(',').append(h.length).append(',')
                    .append(new String(input, h.start, end - h.start, StandardCharsets.ISO_8859_1)).append('\n');
        }
        return out.toString();
    }
}
