package caravan.enrich.threat;

import caravan.enrich.Enricher;
import caravan.enrich.LastLookup;
import caravan.event.LogEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Tags requests that look like attacks: {@code caravan.threat.detected} on every HTTP event, and
 * for the flagged ones {@code caravan.threat.categories}, {@code caravan.threat.rules} and
 * {@code caravan.threat.severity} (the worst of the matched rules).
 *
 * <p>User agents and referrers repeat from request to request, so their verdicts are cached by
 * value (bounded); the request itself is checked every time.
 */
public final class ThreatEnricher implements Enricher {
    /** Where the parser keeps a request line that is not METHOD TARGET VERSION: still worth a look. */
    static final String INVALID_REQUEST = "caravan.request.invalid";

    /** The cached verdict "no rule matches", as the caches cannot hold null. */
    private static final long[] NONE = new long[0];

    private final ThreatRules rules;
    private final LastLookup<long[]> userAgents;
    private final LastLookup<long[]> referrers;

    public ThreatEnricher(ThreatRules rules) {
        this(rules, 10_000);
    }

    public ThreatEnricher(ThreatRules rules, long cacheSize) {
        this.rules = rules;
        this.userAgents = verdicts(rules, Target.USER_AGENT, cacheSize);
        this.referrers = verdicts(rules, Target.REFERRER, cacheSize);
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
        long[] set = ThreatRules.union(rules.matchTarget(Target.REQUEST, request),
                rules.matchTarget(Target.PATH, request == null ? null : ThreatRules.pathOf(request)));
        set = ThreatRules.union(set, cached(userAgents, e.userAgent));
        set = ThreatRules.union(set, cached(referrers, e.referrer));
        List<ThreatRule> hits = rules.rulesOf(set);
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

    /** One target's verdicts, cached by value (bounded), with the last value in front. */
    private static LastLookup<long[]> verdicts(ThreatRules rules, Target target, long cacheSize) {
        return LastLookup.cached(cacheSize, v -> {
            long[] m = rules.matchTarget(target, v);
            return m == null ? NONE : m;
        });
    }

    private static long[] cached(LastLookup<long[]> verdicts, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        long[] set = verdicts.get(value);
        return set == NONE ? null : set;
    }

    @Override
    public String name() {
        return "threats";
    }

    public ThreatRules rules() {
        return rules;
    }
}
