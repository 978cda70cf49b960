package caravan.bench;

import caravan.parse.Corpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The corpus with each distinct client address replaced by a distinct address the GeoIP City test
 * database locates. The test databases know almost none of the corpus's addresses, which would make
 * GeoIP and the JSON look cheaper than in production: this way every event carries the full
 * {@code source.geo.*} set. The corpus's 1,753 addresses become 1,171: the smallest test networks
 * hold fewer hosts than their share.
 * The JMH and the thread-CPU benches of the chain use the same lines.
 */
final class LocatedCorpus {
    /** Networks the City test database locates, to draw the stand-in addresses from. */
    private static final String[] LOCATED = {
        "202.196.224.0/20", "214.78.120.0/22", "175.16.199.0/24", "67.43.156.0/24", "89.160.20.128/25",
        "81.2.69.160/27", "216.160.83.56/29",
    };

    private LocatedCorpus() {
    }

    static List<String> lines() throws IOException {
        List<String> lines = new ArrayList<>();
        Map<String, String> located = new HashMap<>();
        for (String raw : Files.readAllLines(Corpus.COMBINED_10K, StandardCharsets.UTF_8)) {
            String ip = raw.substring(0, raw.indexOf(' '));
            lines.add(located.computeIfAbsent(ip, k -> address(located.size())) + raw.substring(ip.length()));
        }
        return lines;
    }

    /** The n-th stand-in address: round-robin over the networks, then through each one's hosts. */
    private static String address(int n) {
        String[] net = LOCATED[n % LOCATED.length].split("/");
        long base = 0;
        for (String octet : net[0].split("\\.")) {
            base = base << 8 | Integer.parseInt(octet);
        }
        long a = base + (n / LOCATED.length) % (1L << (32 - Integer.parseInt(net[1])));
        return (a >>> 24) + "." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }
}
