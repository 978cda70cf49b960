package caravan.alert;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One client IP above a number of requests (brute force, a scraper, a DoS) or of threat hits in
 * a window. It reads the window's top-N lists, so it sees at most N IPs per window: enough to
 * catch the heaviest clients, which are the ones that matter here.
 */
public final class PerIpDetector implements Detector {
    public static final List<String> METRICS = List.of("requests", "threat_hits");
    private final String metric;
    private final long above;

    public PerIpDetector(String metric, long above) {
        this.metric = metric;
        this.above = above;
    }

    @Override
    public List<Finding> evaluate(WindowStats current, History history) {
        Map<String, Long> counts = metric.equals("threat_hits") ? current.threatIps : current.topIps;
        List<Finding> out = new ArrayList<>();
        counts.forEach((ip, n) -> {
            if (n > above) {
                out.add(new Finding(ip, n, ip + " made " + n + " " + (metric.equals("threat_hits") ? "requests flagged by the threat rules"
                        : "requests") + " in one window (" + current.dataset + "), above " + above));
            }
        });
        return out;
    }
}
