package caravan.alert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Crafted windows for the detector tests. */
final class Windows {
    static final Instant T0 = Instant.parse("2026-01-01T12:00:00Z");

    private Windows() {
    }

    static WindowStats at(int minute, long requests) {
        Instant s = T0.plusSeconds(60L * minute);
        WindowStats w = new WindowStats("apache.access", s, s.plusSeconds(60));
        w.requests = requests;
        return w;
    }

    static WindowStats errors(int minute, long requests, long errors) {
        WindowStats w = at(minute, requests);
        w.errors = errors;
        return w;
    }

    /** Windows 0..n-1 with the given request counts. */
    static List<WindowStats> series(long... requests) {
        List<WindowStats> out = new ArrayList<>();
        for (int i = 0; i < requests.length; i++) {
            out.add(at(i, requests[i]));
        }
        return out;
    }

    static WindowStats latency(int minute, String path, long count, double meanMs) {
        WindowStats w = at(minute, count);
        w.latency.put(path, new WindowStats.Latency(count, meanMs, meanMs, meanMs * 1.5, meanMs * 2));
        return w;
    }
}
