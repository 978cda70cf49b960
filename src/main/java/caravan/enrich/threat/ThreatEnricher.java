package caravan.enrich.threat;

import caravan.enrich.Enricher;
import caravan.parse.LogEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Tags requests that look like attacks: {@code caravan.threat.detected} on every HTTP event, and
 * for the flagged ones {@code caravan.threat.categories}, {@code caravan.threat.rules} and
 * {@code caravan.threat.severity} (the worst of the matched rules).
 */
public final class ThreatEnricher implements Enricher {
    /** Where the parser keeps a request line that is not METHOD TARGET VERSION: still worth a look. */
    static final String INVALID_REQUEST = "caravan.request.invalid";

    private final ThreatRules rules;

    public ThreatEnricher(ThreatRules rules) {
        this.rules = rules;
    }

    @Override
    public void enrich(LogEvent e) {
        String request = e.urlOriginal;
        if (request == null && e.get(INVALID_REQUEST) instanceof String invalid) {
            request = invalid;
        }
        if (request == null && e.userAgent == null && e.referrer == null) {
            return; // not an HTTP event: nothing to say either way
        }
        List<ThreatRule> hits = rules.match(request, null, e.userAgent, e.referrer);
        if (hits.isEmpty()) {
            e.put("caravan.threat.detected", Boolean.FALSE);
            return;
        }
        List<String> categories = new ArrayList<>(2);
        List<String> ids = new ArrayList<>(hits.size());
        Severity worst = Severity.LOW;
        for (ThreatRule r : hits) {
            if (!categories.contains(r.category())) {
                categories.add(r.category());
            }
            ids.add(r.id());
            if (r.severity().compareTo(worst) > 0) {
                worst = r.severity();
            }
        }
        e.put("caravan.threat.detected", Boolean.TRUE)
                .put("caravan.threat.categories", categories)
                .put("caravan.threat.rules", ids)
                .put("caravan.threat.severity", worst.label());
    }

    @Override
    public String name() {
        return "threats";
    }

    public ThreatRules rules() {
        return rules;
    }
}
