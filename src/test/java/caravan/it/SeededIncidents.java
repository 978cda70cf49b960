package caravan.it;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The access-log lines {@link AlertsIT} seeds: steady traffic, then one incident of each kind the shipped rules know. */
final class SeededIncidents {
    /** The seeded incidents happen after the corpus' last line (2015-05-20 21:05), minute by minute from here. */
    static final Instant T = Instant.parse("2015-05-20T22:00:00Z");
    static final String TIMED = "apache:%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-agent}i\" %D";
    static final String ATTACKER = "203.0.113.66";
    static final String BRUTE = "198.51.100.7";

    /** Minute by minute after {@link #T}: steady traffic, then one incident of each kind. */
    static List<String> lines() {
        List<String> out = new ArrayList<>();
        for (int m = 0; m < 20; m++) {
            for (int i = 0; i < 100; i++) {
                String ip = "192.0.2." + (10 + i % 20);
                boolean orders = i < 20;
                String path = orders ? "/api/orders" : "/index.html";
                long micros = orders ? (m == 5 ? 1_800_000 + i * 20_000 : 40_000 + i * 1_000) : 5_000 + i * 100;
                int status = (m == 8 || m == 9) && i >= 40 ? 503 : 200;
                out.add(line(ip, m, i % 60, "GET " + path + " HTTP/1.1", status, 1000 + i, micros));
            }
        }
        // Minute 12: ten times the usual traffic, from many clients (none of them heavy on its own).
        for (int i = 0; i < 1000; i++) {
            out.add(line("198.18." + (i / 5 / 250) + "." + (i / 5 % 250 + 1), 12, i % 60, "GET /index.html HTTP/1.1", 200, 900, 6_000));
        }
        // Minute 15: one client probing for files and SQL injection.
        for (int i = 0; i < 30; i++) {
            String req = i % 2 == 0 ? "GET /download.php?file=../../../../etc/passwd HTTP/1.1"
                    : "GET /product.php?id=1%27%20OR%20%271%27=%271 HTTP/1.1";
            out.add(line(ATTACKER, 15, i, req, 404, 200, 3_000));
        }
        // Minute 17: password guessing.
        for (int i = 0; i < 350; i++) {
            out.add(line(BRUTE, 17, i % 60, "POST /login HTTP/1.1", 401, 120, 15_000));
        }
        return out;
    }

    private static String line(String ip, int minute, int second, String request, int status, long bytes, long micros) {
        String time = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)
                .format(ZonedDateTime.ofInstant(T.plusSeconds(60L * minute + second), ZoneOffset.UTC));
        return ip + " - - [" + time + "] \"" + request + "\" " + status + " " + bytes
                + " \"-\" \"Mozilla/5.0 (X11; Linux x86_64) Firefox/118.0\" " + micros;
    }

    private SeededIncidents() {
    }
}
