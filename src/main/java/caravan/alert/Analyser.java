package caravan.alert;

import caravan.common.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Route "analyse": windows, statistics, rules, notifications.
 *
 * <p>Windows are fixed, aligned to the epoch, and taken by the events' {@code @timestamp}. The live
 * run evaluates the windows that closed at least {@code delay} ago (late events, shipping and
 * indexing take time), continuing where the last lease holder stopped. {@link #backfill} evaluates
 * any past range on demand (an import of old logs, a rule tried on last week), with its own alert
 * state, so a replay never resolves or re-notifies a live alert.
 */
public final class Analyser {
    private static final Logger LOG = LoggerFactory.getLogger(Analyser.class);
    /** Windows per aggregation request: bounded so a long backfill never hits search.max_buckets. */
    private static final int CHUNK = 240;

    /** What a run did. */
    public record Report(Instant from, Instant to, int windows, List<AlertEvent> events) {
        static Report empty(Instant at) {
            return new Report(at, at, 0, List.of());
        }
    }

    private final AlertSettings settings;
    private final StatsStore store;
    private final StatsQuery query;
    private final RulesHolder rules;
    private final Notifiers notifiers;
    private final Lease lease;
    private final Clock clock;
    private final Map<String, Instant> gaugeWindow = new HashMap<>();
    private AlertTracker live;

    public Analyser(AlertSettings settings, StatsStore store, RulesHolder rules, Notifiers notifiers, Lease lease, Clock clock) {
        this.settings = settings;
        this.store = store;
        this.query = settings.query();
        this.rules = rules;
        this.notifiers = notifiers;
        this.lease = lease;
        this.clock = clock;
    }

    public RulesHolder rules() {
        return rules;
    }

    public StatsStore store() {
        return store;
    }

    public AlertSettings settings() {
        return settings;
    }

    public Notifiers notifiers() {
        return notifiers;
    }

    /** Firing live alerts (empty while another process holds the lease). */
    public synchronized List<AlertEvent> liveFiring() {
        return live == null ? List.of() : live.firing();
    }

    /** One timer tick: evaluates the windows closed since the last run, if this process holds the lease. */
    public synchronized Report runLive() throws IOException {
        store.ensureTemplates();
        if (!lease.acquire()) {
            live = null; // another process evaluates; take its state over when the lease comes back
            return Report.empty(clock.instant());
        }
        if (live == null) {
            live = new AlertTracker("live");
            live.restore(store.alerts("firing", "live", 1000).stream().map(AlertEvent::fromJson).toList());
        }
        Instant closedUntil = floor(clock.instant().minus(settings.delay()));
        Instant from = lease.evaluatedUntil() != null ? lease.evaluatedUntil() : closedUntil.minus(settings.window());
        Instant earliest = closedUntil.minus(settings.window().multipliedBy(settings.catchUpWindows()));
        if (from.isBefore(earliest)) {
            LOG.warn("analyser behind by more than {} windows: skipping {} to {}", settings.catchUpWindows(), from, earliest);
            from = earliest;
        }
        if (!from.isBefore(closedUntil)) {
            return Report.empty(closedUntil);
        }
        Report r = evaluate(from, closedUntil, live);
        lease.advance(closedUntil);
        return r;
    }

    /** Evaluates every window that starts in [from, to) (widened to whole windows), with a fresh alert state. */
    public synchronized Report backfill(Instant from, Instant to) throws IOException {
        store.ensureTemplates();
        return evaluate(floor(from), ceil(to), new AlertTracker("backfill"));
    }

    private Report evaluate(Instant from, Instant to, AlertTracker tracker) throws IOException {
        List<Rule> inForce = rules.rules();
        Duration w = settings.window();
        List<AlertEvent> events = new ArrayList<>();
        int windows = 0;
        // The run's own windows serve as history for its later ones: the stats index is asked once per
        // dataset (for what came before the run), and written once per chunk.
        RunMemory memory = new RunMemory(from);
        for (Instant chunk = from; chunk.isBefore(to); chunk = chunk.plus(w.multipliedBy(CHUNK))) {
            Instant chunkEnd = min(to, chunk.plus(w.multipliedBy(CHUNK)));
            Map<Instant, Map<String, WindowStats>> byWindow = new TreeMap<>();
            for (WindowStats s : store.compute(query, settings.sourceIndices(), chunk, chunkEnd)) {
                byWindow.computeIfAbsent(s.start, k -> new HashMap<>()).put(s.dataset, s);
            }
            for (Instant t = chunk; t.isBefore(chunkEnd); t = t.plus(w)) {
                Map<String, WindowStats> present = byWindow.getOrDefault(t, Map.of());
                Set<String> datasets = new TreeSet<>(present.keySet());
                datasets.addAll(tracker.activeDatasets());
                for (String ds : datasets) {
                    WindowStats cur = present.getOrDefault(ds, new WindowStats(ds, t, t.plus(w)));
                    History h = memory.history(ds, t);
                    for (Rule rule : inForce) {
                        if (!rule.appliesTo(ds)) {
                            continue;
                        }
                        List<Finding> found;
                        try {
                            found = rule.detector().evaluate(cur, h);
                        } catch (UncheckedIOException e) {
                            throw e.getCause();
                        }
                        for (AlertEvent e : tracker.update(rule, ds, t, found)) {
                            notifiers.send(e);
                            events.add(e);
                        }
                    }
                    if (cur.requests > 0) {
                        memory.add(cur);
                        gauges(cur);
                        windows++;
                    }
                }
            }
            store.writeAll(memory.drainUnwritten());
            for (AlertEvent e : tracker.dropRulesOtherThan(inForce.stream().map(Rule::id).collect(Collectors.toSet()), chunkEnd)) {
                notifiers.send(e);
                events.add(e);
            }
        }
        if (!events.isEmpty() || windows > 0) {
            LOG.info("analysed {} to {}: {} window(s) with events, {} alert event(s)", from, to, windows, events.size());
        }
        return new Report(from, to, windows, events);
    }

    /**
     * What the detectors know of the past during one run: the stats index up to the run's start,
     * loaded once per dataset when a detector first asks, then the windows this run evaluated.
     * Re-evaluating a range therefore sees the same past as the first evaluation did.
     */
    private final class RunMemory {
        private final Instant runStart;
        private final Map<String, java.util.ArrayDeque<WindowStats>> byDataset = new HashMap<>();
        /** Windows of this run with threat hits, any dataset: the in-run part of "attackers seen". */
        private final List<WindowStats> withThreats = new ArrayList<>();
        private final List<WindowStats> unwritten = new ArrayList<>();

        RunMemory(Instant runStart) {
            this.runStart = runStart;
        }

        void add(WindowStats s) {
            java.util.ArrayDeque<WindowStats> d = byDataset.get(s.dataset);
            if (d != null) {
                d.addLast(s);
                while (d.size() > settings.historyWindows()) {
                    d.removeFirst();
                }
            } else {
                // Not loaded yet: nobody asked. Load now, so the order stays past-then-run.
                loaded(s.dataset).addLast(s);
            }
            if (!s.threatIps.isEmpty()) {
                withThreats.add(s);
            }
            unwritten.add(s);
        }

        List<WindowStats> drainUnwritten() {
            List<WindowStats> out = List.copyOf(unwritten);
            unwritten.clear();
            return out;
        }

        private java.util.ArrayDeque<WindowStats> loaded(String dataset) {
            java.util.ArrayDeque<WindowStats> d = byDataset.get(dataset);
            if (d == null) {
                try {
                    d = new java.util.ArrayDeque<>(store.history(dataset, runStart, settings.historyWindows()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                byDataset.put(dataset, d);
            }
            return d;
        }

        History history(String dataset, Instant before) {
            return new History() {
                @Override
                public List<WindowStats> windows() {
                    return List.copyOf(loaded(dataset));
                }

                @Override
                public Set<String> attackersSeen(Duration lookback) {
                    Instant since = before.minus(lookback);
                    Set<String> out = new java.util.HashSet<>();
                    try {
                        if (since.isBefore(runStart)) {
                            out.addAll(store.attackersSeen(runStart, Duration.between(since, runStart)));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    for (WindowStats w : withThreats) {
                        if (!w.start.isBefore(since) && w.start.isBefore(before)) {
                            out.addAll(w.threatIps.keySet());
                        }
                    }
                    return out;
                }
            };
        }
    }

    private void gauges(WindowStats s) {
        Instant last = gaugeWindow.get(s.dataset);
        if (last != null && last.isAfter(s.start)) {
            return; // a backfill of older windows does not move the gauges back in time
        }
        gaugeWindow.put(s.dataset, s.start);
        Metrics.stats("window.start.seconds", s.dataset, s.start.getEpochSecond());
        Metrics.stats("requests", s.dataset, s.requests);
        Metrics.stats("errors", s.dataset, s.errors);
        Metrics.stats("error.rate", s.dataset, s.errorRate());
        Metrics.stats("bytes", s.dataset, s.bytes);
        Metrics.stats("unique.clients", s.dataset, s.uniqueClients);
        Metrics.stats("threats", s.dataset, s.threats);
        Metrics.stats("bots", s.dataset, s.bots);
        Metrics.stats("slow.endpoints", s.dataset, s.slowEndpoints.size());
    }

    Instant floor(Instant t) {
        long w = settings.window().toMillis();
        return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), w) * w);
    }

    Instant ceil(Instant t) {
        Instant f = floor(t);
        return f.equals(t) ? t : f.plus(settings.window());
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Gives the lease up (shutdown). */
    public void release() {
        try {
            lease.release();
        } catch (IOException e) {
            LOG.debug("lease not released: {}", e.toString());
        }
    }
}
