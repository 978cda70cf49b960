package caravan.index;

import caravan.common.Metrics;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Route;
import org.apache.camel.component.kafka.consumer.errorhandler.KafkaConsumerListener;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index route's hold on its Kafka consumer: pause while a batch waits, keep polling, resume,
 * commit.
 *
 * <p>A batch that cannot be finished yet (Elasticsearch down, the circuit open, items in backoff,
 * the DLQ unreachable) stays in the route; this class pauses every assigned partition and keeps
 * calling {@code poll()} while it waits. Paused partitions return nothing, so nothing new is
 * consumed, but the consumer stays in its group: a thread that stopped polling for longer than
 * {@code max.poll.interval.ms} would be thrown out and its partitions rebalanced. When the batch
 * is done, the partitions resume from exactly where they were.
 *
 * <p>Camel hands the Kafka consumer to this listener through the {@code pausable} EIP. Everything
 * here runs on the consumer's own thread (the batching consumer processes on it), which is the only
 * thread allowed to touch a {@link Consumer}.
 */
public final class ConsumerControl extends KafkaConsumerListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerControl.class);
    private static final long POLL_SLICE_MS = 250;
    private static final Duration GROUP_LOOKUP = Duration.ofSeconds(5);

    private final AtomicLong pausedSinceNanos = new AtomicLong();
    private final AtomicLong pausedTotalNanos = new AtomicLong();
    private volatile boolean paused;
    private volatile Predicate<?> resumable = o -> true;
    private Runnable onNewConsumer = () -> { };
    private Runnable betweenPolls = () -> { };

    public ConsumerControl() {
        Metrics.consumerPaused(this::pausedGauge);
    }

    private double pausedGauge() {
        return paused ? 1 : 0;
    }

    /**
     * What the batch's owner does at the consumer's edges: {@code onNewConsumer} when Camel creates
     * a Kafka consumer (nothing polled before it will be committed by it), {@code betweenPolls}
     * after each of Camel's polls that goes on to the route.
     */
    public void hooks(Runnable onNewConsumer, Runnable betweenPolls) {
        this.onNewConsumer = onNewConsumer;
        this.betweenPolls = betweenPolls;
    }

    @Override
    public void setConsumer(Consumer<?, ?> consumer) {
        super.setConsumer(consumer);
        onNewConsumer.run();
    }

    /**
     * The {@code pausable} EIP's check: whether paused consumption may resume. The route passes the
     * circuit breaker's state, so that consumption stays paused while Elasticsearch is known down.
     */
    @Override
    public void setResumableCheck(Predicate<?> check) {
        super.setResumableCheck(check);
        this.resumable = check;
    }

    private boolean mayResume() {
        return resumable.test(null);
    }

    /** Whether this class has the partitions paused now. */
    public boolean isPaused() {
        return paused;
    }

    /** Total time paused so far, for tests and logs. */
    public Duration pausedTotal() {
        long now = paused ? System.nanoTime() - pausedSinceNanos.get() : 0;
        return Duration.ofNanos(pausedTotalNanos.get() + now);
    }

    /**
     * Camel's loop calls this after each of its own polls. A wait in the route pauses the
     * partitions and the route resumes them when its batch is done; here they resume (the safety net
     * for a batch that ended otherwise, an exception, a stop) only when the resumable check allows
     * it. While it does not, Camel's poll loop goes on polling the paused partitions and hands
     * nothing to the route. Partitions a rebalance assigned meanwhile are paused on assignment
     * ({@link RebalanceHook}), so such a poll returns nothing; should one return records anyway,
     * the partition goes back to its committed offset, to be read again after the resume (up to a
     * commit interval's worth of records already indexed among them: they settle as 409s).
     */
    @Override
    public boolean afterConsume(Object ignored) {
        if (paused) {
            if (!mayResume()) {
                rewindUnpaused();
                return false;
            }
            resume();
        }
        betweenPolls.run();
        return true;
    }

    private void rewindUnpaused() {
        Consumer<?, ?> consumer = getConsumer();
        if (consumer == null) {
            return;
        }
        Set<TopicPartition> unpaused = new java.util.HashSet<>(consumer.assignment());
        unpaused.removeAll(consumer.paused());
        if (unpaused.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(unpaused, Duration.ofSeconds(30));
        for (TopicPartition tp : unpaused) {
            OffsetAndMetadata at = committed.get(tp);
            if (at != null) {
                consumer.seek(tp, at.offset());
            } else {
                consumer.seekToBeginning(java.util.List.of(tp)); // no commit yet: where autoOffsetReset=earliest starts
            }
        }
        consumer.pause(unpaused);
        LOG.info("Returned {} to their committed offsets while consumption stays paused", unpaused);
    }

    /**
     * The group's committed offset of each of {@code partitions} that has one, as Kafka tells it
     * within {@link #GROUP_LOOKUP}; none when it does not answer.
     */
    public Map<TopicPartition, Long> groupCommitted(Set<TopicPartition> partitions) {
        Consumer<?, ?> consumer = getConsumer();
        Map<TopicPartition, Long> out = new java.util.HashMap<>();
        if (consumer == null) {
            return out;
        }
        try {
            consumer.committed(partitions, GROUP_LOOKUP).forEach((tp, at) -> {
                if (at != null) {
                    out.put(tp, at.offset());
                }
            });
        } catch (WakeupException | InterruptException e) {
            throw e; // a stop: not ours to swallow
        } catch (RuntimeException e) {
            LOG.warn("The group's committed offsets of {} not known ({}): a commit may step back once, and lines "
                    + "after it be read again after a crash", partitions, e.toString());
        }
        return out;
    }

    /**
     * Pauses consumption and waits, polling, up to {@code maxMs} or until {@code done} is true.
     *
     * @throws IndexingStopped if the route or Camel is stopping, or the consumer was woken to stop
     */
    public void waitPaused(Exchange exchange, long maxMs, BooleanSupplier done) {
        Consumer<?, ?> consumer = getConsumer();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxMs));
        try {
            while (!done.getAsBoolean()) {
                checkRunning(exchange);
                pause();
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                long slice = Math.min(POLL_SLICE_MS, left);
                if (consumer == null) {
                    Thread.sleep(slice); // not under a Kafka consumer (unit tests)
                    continue;
                }
                ConsumerRecords<?, ?> polled = consumer.poll(Duration.ofMillis(slice));
                if (!polled.isEmpty()) {
                    unpoll(consumer, polled);
                }
            }
        } catch (WakeupException | InterruptException e) {
            throw new IndexingStopped("the Kafka consumer was woken up to stop while the batch waited", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexingStopped("interrupted while the batch waited", e);
        }
    }

    /**
     * A rebalance during our poll can assign partitions that are not paused yet, and poll returns
     * their records. The route cannot take them now, so they go back: seeking each partition to its
     * first returned offset makes the consumer fetch them again after the resume.
     */
    private static void unpoll(Consumer<?, ?> consumer, ConsumerRecords<?, ?> polled) {
        for (TopicPartition tp : polled.partitions()) {
            long first = polled.records(tp).get(0).offset();
            consumer.seek(tp, first);
            LOG.debug("Returned records of newly assigned {} from offset {} while paused", tp, first);
        }
        pauseAll(consumer);
    }

    private static void pauseAll(Consumer<?, ?> consumer) {
        Set<TopicPartition> assigned = consumer.assignment();
        if (!assigned.isEmpty() && !consumer.paused().containsAll(assigned)) {
            consumer.pause(assigned);
        }
    }

    private void markPaused() {
        if (!paused) {
            paused = true;
            pausedSinceNanos.set(System.nanoTime());
            LOG.info("Kafka consumption paused while a batch waits");
        }
    }

    /** Pauses consumption until {@link #resume()}; used by waits on the consumer thread. */
    void pause() {
        Consumer<?, ?> consumer = getConsumer();
        if (consumer != null) {
            pauseAll(consumer);
        }
        markPaused();
    }

    /** Resumes, unless the resumable check says consumption must stay paused (the circuit is open). */
    public void resumeIfAllowed() {
        if (mayResume()) {
            resume();
        }
    }

    /** Resumes every partition this class paused. */
    public void resume() {
        if (!paused) {
            return;
        }
        Consumer<?, ?> consumer = getConsumer();
        if (consumer != null) {
            Set<TopicPartition> p = consumer.paused();
            if (!p.isEmpty()) {
                consumer.resume(p);
            }
        }
        paused = false;
        long took = System.nanoTime() - pausedSinceNanos.get();
        pausedTotalNanos.addAndGet(took);
        LOG.info("Kafka consumption resumed after {} ms paused", TimeUnit.NANOSECONDS.toMillis(took));
    }

    /**
     * Commits synchronously. A commit refused because the group rebalanced meanwhile is logged, not
     * thrown: the records are indexed (or dead-lettered), and whoever owns the partition now reads
     * them again, which the deterministic ids make harmless.
     *
     * <p>Only partitions assigned to this consumer now are committed. Kafka takes a commit from any
     * member of the group for any partition, so records of a partition taken away, finished late,
     * would otherwise move its new owner's commit back, and the new owner, having nothing newer,
     * would never move it forward again: a lag that stays although every record is indexed.
     *
     * @return whether the commit of the assigned ones went through
     */
    public boolean commit(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Consumer<?, ?> consumer = getConsumer();
        if (consumer == null || offsets.isEmpty()) {
            return false;
        }
        Map<TopicPartition, OffsetAndMetadata> ours = offsets;
        Set<TopicPartition> assigned = consumer.assignment();
        if (!assigned.containsAll(offsets.keySet())) {
            ours = new java.util.HashMap<>(offsets);
            ours.keySet().retainAll(assigned);
            // Mid-rebalance the assignment is empty for a while: every commit interval would say it at INFO.
            if (LOG.isDebugEnabled()) {
                LOG.debug("Offsets of {} not committed: not assigned to this consumer now",
                        offsets.keySet().stream().filter(tp -> !assigned.contains(tp)).toList());
            }
            if (ours.isEmpty()) {
                return true; // nothing of ours: the others are their owner's to commit
            }
        }
        try {
            consumer.commitSync(ours, Duration.ofSeconds(30));
            return true;
        } catch (CommitFailedException | RebalanceInProgressException e) {
            LOG.warn("Offsets {} not committed, the group rebalanced: the new owner re-reads them ({})", offsets,
                    e.getMessage());
        } catch (WakeupException | InterruptException e) {
            throw new IndexingStopped("the Kafka consumer was woken up to stop during the commit", e);
        } catch (RuntimeException e) {
            LOG.warn("Offsets {} not committed: {}; the records will be read again", offsets, e.toString());
        }
        return false;
    }

    /** Stops waiting when the route or Camel shuts down. */
    static void checkRunning(Exchange exchange) {
        if (exchange == null) {
            return;
        }
        CamelContext ctx = exchange.getContext();
        if (ctx.isStopping() || ctx.isStopped()) {
            throw new IndexingStopped("Camel is stopping");
        }
        for (String id : new String[] {exchange.getFromRouteId(), "index"}) {
            Route route = id == null ? null : ctx.getRoute(id);
            if (route != null && route.getConsumer() instanceof ServiceSupport s
                    && (s.isStoppingOrStopped() || s.isSuspendingOrSuspended())) {
                throw new IndexingStopped("route " + route.getRouteId() + " is stopping");
            }
        }
    }
}
