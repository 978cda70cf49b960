package caravan.bench;

import caravan.enrich.crs.CrsEnricher;
import caravan.enrich.crs.CrsSettings;
import caravan.event.LogEvent;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Caravan's side of {@code bench/crs.sh}: runs the CRS engine over the requests file
 * {@code CrsBenchLines} wrote (the same one the libmodsecurity harness reads) and writes, per line,
 * the CRS rule ids it fired, in the harness's format ({@code <n>\t<id id ...>\t<microseconds>}).
 * Every pass uses a new engine, so its verdict caches start empty; the first pass also warms the
 * JIT. The rate is events per second of this thread's CPU time, that is per core.
 *
 * <p>Usage: {@code CrsEngineBench <rules dir> <paranoia level> <requests.tsv> <ids-out> [passes]}
 */
public final class CrsEngineBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private CrsEngineBench() {
    }

    public static void main(String[] args) throws IOException {
        Path rules = Path.of(args[0]);
        String pl = args[1];
        List<String[]> requests = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[2]), StandardCharsets.ISO_8859_1)) {
            requests.add(line.split("\t", -1));
        }
        int passes = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        Map<String, String> settings = Map.of("caravan.enrich.crs.dir", rules.toString(),
                "caravan.enrich.crs.paranoia-level", pl, "caravan.enrich.crs.headers", "User-Agent,Referer,Host");
        for (int p = 0; p < passes; p++) {
            CrsEnricher crs = CrsSettings.enricher(settings::get);
            List<LogEvent> events = new ArrayList<>(requests.size());
            for (String[] r : requests) {
                events.add(event(r));
            }
            long cpu0 = CPU.getCurrentThreadCpuTime();
            long wall0 = System.nanoTime();
            long[] micros = new long[events.size()];
            for (int i = 0; i < events.size(); i++) {
                long t0 = System.nanoTime();
                crs.enrich(events.get(i));
                micros[i] = (System.nanoTime() - t0) / 1000;
            }
            double cpu = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e9;
            double wall = (System.nanoTime() - wall0) / 1e9;
            System.out.printf("caravan CRS pass %d: %d events in %.3f s CPU (%.3f s wall): %.0f events/s per core%n",
                    p + 1, events.size(), cpu, wall, events.size() / cpu);
            if (p == 0) {
                write(Path.of(args[3]), events, micros);
            }
        }
    }

    private static void write(Path out, List<LogEvent> events, long[] micros) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (int i = 0; i < events.size(); i++) {
                List<Integer> ids = new ArrayList<>();
                if (events.get(i).get("caravan.threat.crs.rule_ids") instanceof List<?> l) {
                    l.forEach(id -> ids.add(Integer.parseInt(id.toString())));
                }
                ids.sort(null);
                StringBuilder b = new StringBuilder();
                ids.forEach(id -> b.append(b.isEmpty() ? "" : " ").append(id));
                w.write((i + 1) + "\t" + b + "\t" + micros[i] + "\n");
            }
        }
    }

    /** One requests-file line as the parser would have left it. */
    private static LogEvent event(String[] r) {
        LogEvent e = new LogEvent();
        e.sourceIp = text(r[0]);
        e.method = text(r[1]);
        e.urlOriginal = text(r[2]);
        e.httpVersion = text(r[3]);
        e.userAgent = text(r[4]);
        e.referrer = text(r[5]);
        String host = text(r[6]);
        if (host != null) {
            int colon = host.lastIndexOf(':');
            boolean port = colon > 0 && host.indexOf(']', colon) < 0 && host.substring(colon + 1).matches("[0-9]{1,5}");
            e.put("url.domain", port ? host.substring(0, colon) : host);
            if (port) {
                e.put("url.port", Integer.parseInt(host.substring(colon + 1)));
            }
        }
        return e;
    }

    /** Undoes the requests file's \xHH escapes; empty is absent. */
    private static String text(String field) {
        if (field.isEmpty()) {
            return null;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.charAt(i + 1) == 'x') {
                b.write(Integer.parseInt(field.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
