package caravan.soak;

import caravan.devstack.DevStack;
import caravan.it.RejectingProxy;
import caravan.soak.SoakPlan.Fault;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out a {@link SoakPlan}: each fault in a thread of its own at its time, so they overlap as
 * they fall. Faults on the same process take turns (a kill waits for the restart of the previous
 * one). Records when each began and when its target was back.
 */
final class Faults {
    private static final Logger LOG = LoggerFactory.getLogger(Faults.class);

    /** A fault as it happened, in wall-clock milliseconds. */
    record Done(Fault fault, long beganAt, long endedAt) {
    }

    private final Fleet fleet;
    private final DevStack stack;
    private final RejectingProxy proxy;
    private final Map<String, Object> turns = new ConcurrentHashMap<>();
    private final List<Done> done = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();

    Faults(Fleet fleet, DevStack stack, RejectingProxy proxy) {
        this.fleet = fleet;
        this.stack = stack;
        this.proxy = proxy;
    }

    /** Starts one thread per fault, each sleeping until its time after {@code startMillis}. */
    void start(SoakPlan plan, long startMillis) {
        for (Fault f : plan.faults()) {
            Thread t = new Thread(() -> {
                try {
                    long wait = startMillis + f.atMs() - System.currentTimeMillis();
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                    apply(f);
                } catch (Throwable e) {
                    failures.add(e);
                    LOG.error("fault {} failed: {}", f, e.toString());
                }
            }, "soak-" + f.kind());
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    private void apply(Fault f) throws Exception {
        String target = switch (f.kind()) {
            case KILL_SHIPPER -> "shipper";
            case KILL_INDEXER, TERM_INDEXER -> "indexer-" + f.target();
            case STOP_ELASTICSEARCH -> "elasticsearch";
            case STOP_KAFKA -> "kafka";
            case THROTTLE_429 -> "proxy";
        };
        synchronized (turns.computeIfAbsent(target, k -> new Object())) {
            long began = System.currentTimeMillis();
            LOG.info("soak fault: {} {}", f.kind(), target);
            switch (f.kind()) {
                case KILL_SHIPPER, KILL_INDEXER -> fleet.kill(target);
                case TERM_INDEXER -> fleet.term(target);
                case STOP_ELASTICSEARCH -> stack.stopElasticsearch();
                case STOP_KAFKA -> stack.kafka().stop();
                case THROTTLE_429 -> proxy.shares(0.05, 0.05); // 10% of items: half never indexed, half indexed late
            }
            Thread.sleep(f.holdMs());
            switch (f.kind()) {
                case KILL_SHIPPER, KILL_INDEXER, TERM_INDEXER -> fleet.start(target);
                case STOP_ELASTICSEARCH -> stack.startElasticsearch();
                case STOP_KAFKA -> stack.kafka().start();
                case THROTTLE_429 -> proxy.shares(0, 0);
            }
            long ended = System.currentTimeMillis();
            done.add(new Done(f, began, ended));
            LOG.info("soak fault over: {} {} after {} ms", f.kind(), target, ended - began);
        }
    }

    /** Waits for every fault to be over; returns them in the order they began. */
    List<Done> join() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            IllegalStateException e = new IllegalStateException("faults could not be carried out: " + failures);
            failures.forEach(e::addSuppressed);
            throw e;
        }
        List<Done> out = new ArrayList<>(done);
        out.sort(java.util.Comparator.comparingLong(Done::beganAt));
        return out;
    }
}
