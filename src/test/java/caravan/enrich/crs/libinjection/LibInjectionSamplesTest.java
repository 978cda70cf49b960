package caravan.enrich.crs.libinjection;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * libinjection's published sample inputs (data/*.txt, under src/test/resources/libinjection/samples):
 * attacks that must be detected and known false positives that must not. libinjection's own release
 * check allows 18 missed SQLi, 21 false positives and 18 missed XSS over these files; we hold the
 * same bounds and print every miss.
 */
class LibInjectionSamplesTest {

    @Test
    void sqliSamplesAreDetected() throws Exception {
        int missed = run("sqli-", LibInjection::isSqli, true);
        assertThat(missed).isLessThanOrEqualTo(18);
    }

    @Test
    void falsePositivesStayQuiet() throws Exception {
        int flagged = run("false_positives", LibInjection::isSqli, false);
        assertThat(flagged).isLessThanOrEqualTo(21);
    }

    @Test
    void xssSamplesAreDetected() throws Exception {
        int missed = run("xss-", LibInjection::isXss, true);
        assertThat(missed).isLessThanOrEqualTo(18);
    }

    /** Runs every sample file with the prefix; returns how many lines got the wrong verdict. */
    private static int run(String prefix, Predicate<byte[]> detector, boolean expected)
            throws IOException, URISyntaxException {
        Path dir = Path.of(LibInjectionSamplesTest.class.getResource("/libinjection/samples").toURI());
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        int wrong = 0;
        int total = 0;
        List<String> misses = new ArrayList<>();
        for (Path f : files) {
            int fileWrong = 0;
            int fileTotal = 0;
            for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
                String trimmed = LibInjectionVectorsTest.rtrim(line);
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                fileTotal++;
                if (detector.test(urlDecode(trimmed)) != expected) {
                    fileWrong++;
                    misses.add(f.getFileName() + ": " + trimmed);
                }
            }
            System.out.printf("libinjection samples %-45s %5d/%5d as expected%n", f.getFileName(),
                    fileTotal - fileWrong, fileTotal);
            wrong += fileWrong;
            total += fileTotal;
        }
        System.out.printf("libinjection samples %s*: %d/%d as expected%n", prefix, total - wrong, total);
        misses.forEach(m -> System.out.println("  wrong verdict: " + m));
        return wrong;
    }

    /**
     * URL-decoding as libinjection's sample reader does it: '+' is a space and a '%' needs two more
     * characters after it before the end of the line to be decoded.
     */
    static byte[] urlDecode(String s) {
        byte[] in = s.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%' && i + 2 < in.length && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
                out.write(hex(in[i + 1]) << 4 | hex(in[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        return Character.digit(b, 16);
    }
}
