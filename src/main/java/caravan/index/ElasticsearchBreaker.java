package caravan.index;

import caravan.common.Metrics;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The circuit breaker around Elasticsearch, used by the route's {@code circuitBreaker} EIP by
 * reference, so that its state is visible here for the metric, the health check and the waits.
 *
 * <p>A call is one bulk request. It fails when the request does not get a bulk response at all
 * (connection refused, timeout, a 5xx or auth error for the whole request); per-item 429s are a
 * response, handled by the item backoff, and do not count. After {@code min-calls} calls with at
 * least {@code failure-rate}% failures the circuit opens; after {@code open-ms} it turns half-open
 * by itself and the next bulk attempt is the probe: success closes it, failure opens it again.
 */
public final class ElasticsearchBreaker {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchBreaker.class);
    public static final String NAME = "elasticsearch";
    /** Registry name the route's circuitBreaker EIP refers to. */
    public static final String REGISTRY_NAME = "caravanElasticsearchBreaker";

    private final CircuitBreaker breaker;
    private final AtomicReference<Instant> openedAt = new AtomicReference<>();
    private final AtomicLong openTotalMillis = new AtomicLong();
    private final AtomicLong opens = new AtomicLong();
    private final AtomicReference<Duration> lastOpenDuration = new AtomicReference<>(Duration.ZERO);

    public ElasticsearchBreaker(float failureRatePercent, int window, int minCalls, long openMs) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .failureRateThreshold(failureRatePercent)
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(Math.max(window, minCalls))
                .minimumNumberOfCalls(minCalls)
                .waitDurationInOpenState(Duration.ofMillis(openMs))
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(1)
                .writableStackTraceEnabled(false)
                .build();
        this.breaker = CircuitBreaker.of(NAME, config);
        breaker.getEventPublisher().onStateTransition(e -> {
            CircuitBreaker.State to = e.getStateTransition().getToState();
            if (to == CircuitBreaker.State.OPEN && openedAt.compareAndSet(null, Instant.now())) {
                opens.incrementAndGet();
                LOG.warn("Elasticsearch circuit OPEN: bulk requests fail; consumption pauses, nothing is dead-lettered,"
                        + " a probe follows in {} ms", openMs);
            } else if (to == CircuitBreaker.State.HALF_OPEN) {
                LOG.info("Elasticsearch circuit HALF_OPEN: the next bulk request is the probe");
            } else if (to == CircuitBreaker.State.CLOSED) {
                Instant since = openedAt.getAndSet(null);
                if (since != null) {
                    Duration d = Duration.between(since, Instant.now());
                    lastOpenDuration.set(d);
                    openTotalMillis.addAndGet(d.toMillis());
                    LOG.info("Elasticsearch circuit CLOSED after {} ms; consumption resumes", d.toMillis());
                }
            }
        });
        Metrics.circuitState(NAME, () -> code(breaker.getState()));
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    public CircuitBreaker.State state() {
        return breaker.getState();
    }

    /** True while calls are refused outright (open, forced open). */
    public boolean isOpen() {
        CircuitBreaker.State s = breaker.getState();
        return s == CircuitBreaker.State.OPEN || s == CircuitBreaker.State.FORCED_OPEN;
    }

    /** When the circuit last opened, if it is not closed again yet. */
    public Instant openedAt() {
        return openedAt.get();
    }

    /** How many times the circuit opened (a reopen after a failed probe does not count again). */
    public long opens() {
        return opens.get();
    }

    /** How long the last outage kept the circuit from closed, open to closed. */
    public Duration lastOpenDuration() {
        return lastOpenDuration.get();
    }

    /** The metric's encoding: 0 closed, 1 open, 2 half-open. */
    public static int code(CircuitBreaker.State state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 0;
        };
    }
}
