package caravan.soak;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Which fault happens when, against which process, drawn from one seed: the same seed and size give
 * the same schedule, so a failing run can be replayed. Times are milliseconds after writing starts;
 * every fault lands while lines are still being written (between 10% and 85% of the writing time).
 */
public record SoakPlan(long seed, List<Fault> faults) {

    /** What a fault does. */
    public enum Kind { KILL_SHIPPER, KILL_INDEXER, TERM_INDEXER, STOP_ELASTICSEARCH, STOP_KAFKA, THROTTLE_429 }

    /**
     * One fault.
     *
     * @param atMs     when, after writing starts
     * @param target   the indexer it hits (0 for the others)
     * @param holdMs   how long the process or server stays down, or the 429s last
     */
    public record Fault(long atMs, Kind kind, int target, long holdMs) {
        @Override
        public String toString() {
            return String.format("%7.1f s %-18s%s hold %.1f s", atMs / 1000.0, kind,
                    kind == Kind.KILL_INDEXER || kind == Kind.TERM_INDEXER ? " indexer-" + target : "",
                    holdMs / 1000.0);
        }
    }

    static final long MAX_RESTART_DELAY_MS = 10_000;

    public static SoakPlan of(SoakConfig c, long seed) {
        Random r = new Random(seed);
        long window = c.writeMillis();
        List<Fault> faults = new ArrayList<>();
        for (int i = 0; i < c.shipperKills(); i++) {
            faults.add(new Fault(at(r, window, 0.10, 0.85), Kind.KILL_SHIPPER, 0, delay(r)));
        }
        for (int i = 0; i < c.indexerKills(); i++) {
            faults.add(new Fault(at(r, window, 0.10, 0.85), Kind.KILL_INDEXER, r.nextInt(c.indexers()), delay(r)));
        }
        for (int i = 0; i < c.indexerTerms(); i++) {
            faults.add(new Fault(at(r, window, 0.10, 0.85), Kind.TERM_INDEXER, r.nextInt(c.indexers()), delay(r)));
        }
        // The two server outages in separate halves, so each is felt on its own as well as with the kills.
        if (c.esStopSeconds() > 0) {
            faults.add(new Fault(at(r, window, 0.15, 0.40), Kind.STOP_ELASTICSEARCH, 0, c.esStopSeconds() * 1000L));
        }
        if (c.kafkaStopSeconds() > 0) {
            faults.add(new Fault(at(r, window, 0.55, 0.80), Kind.STOP_KAFKA, 0, c.kafkaStopSeconds() * 1000L));
        }
        if (c.throttleSeconds() > 0) {
            faults.add(new Fault(at(r, window, 0.10, 0.70), Kind.THROTTLE_429, 0, c.throttleSeconds() * 1000L));
        }
        faults.sort(Comparator.comparingLong(Fault::atMs));
        return new SoakPlan(seed, List.copyOf(faults));
    }

    private static long at(Random r, long window, double from, double to) {
        return (long) (window * (from + r.nextDouble() * (to - from)));
    }

    private static long delay(Random r) {
        return (long) r.nextInt((int) MAX_RESTART_DELAY_MS + 1);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("soak schedule, seed " + seed + ":\n");
        faults.forEach(f -> s.append("  ").append(f).append('\n'));
        return s.toString();
    }
}
