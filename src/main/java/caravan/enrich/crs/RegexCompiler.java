package caravan.enrich.crs;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Compiles RE2/J patterns on a daemon thread under a deadline
 * ({@code caravan.enrich.crs.regex-compile-timeout-ms}, handed down by the rule set that compiles): the last defence, whatever the syntax,
 * against a pattern RE2/J would compile for minutes or forever ({@link FoldGuard} stops the one
 * such case known). A pattern over the deadline, or one RE2/J dies on (a stack overflow on
 * thousands of nested groups), fails like a syntax error. The stuck thread is stopped where the JVM
 * still allows it (JDK 17); on later JDKs it is left to spin as a daemon, and the error says so.
 */
final class RegexCompiler {
    /** Default deadline: CRS's largest pattern compiles in ~20 ms on a loaded machine. */
    static final long DEFAULT_TIMEOUT_MILLIS = 5_000;
    /** Room for RE2/J's recursive simplifier and compiler on deeply nested groups. */
    private static final long STACK_BYTES = 8L << 20;
    /**
     * How long a compile waits for the worker to take it. Compiles run one at a time, so the worker
     * is free but may be new (after a stop) and not yet scheduled on a loaded machine: that wait is
     * not the pattern's compile time, which the deadline alone bounds.
     */
    private static final long HANDOFF_MILLIS = 10_000;
    private static final SynchronousQueue<FutureTask<Pattern>> TASKS = new SynchronousQueue<>();
    private static volatile Thread worker;
    private static final java.util.concurrent.atomic.AtomicLong CPU_NANOS = new java.util.concurrent.atomic.AtomicLong();

    private RegexCompiler() {
    }

    /** A deadline as {@code caravan.enrich.crs.regex-compile-timeout-ms} gives it: positive, else a start-up error. */
    static long checkedTimeout(long millis) {
        if (millis <= 0) {
            throw new CrsException("caravan.enrich.crs.regex-compile-timeout-ms must be positive, not " + millis);
        }
        return millis;
    }

    /** {@code Pattern.compile(pattern, flags)} within {@code millis}; PatternSyntaxException if not. */
    static Pattern compile(String pattern, int flags, long millis) {
        FutureTask<Pattern> task = new FutureTask<>(() -> {
            long c0 = cpu();
            try {
                return Pattern.compile(pattern, flags);
            } finally {
                CPU_NANOS.addAndGet(cpu() - c0);
            }
        });
        Thread runner;
        try {
            synchronized (RegexCompiler.class) { // one compile at a time, each on a live worker
                runner = worker();
                if (!TASKS.offer(task, Math.max(millis, HANDOFF_MILLIS), TimeUnit.MILLISECONDS)) {
                    throw new PatternSyntaxException("the compile thread is busy", pattern);
                }
                try {
                    return task.get(millis, TimeUnit.MILLISECONDS);
                } catch (TimeoutException slow) {
                    worker = null;
                    String fate = stop(runner) ? "stopped" : "left running (this JVM cannot stop it)";
                    throw new PatternSyntaxException("RE2/J did not compile it within " + millis
                            + " ms (caravan.enrich.crs.regex-compile-timeout-ms); its thread was " + fate, pattern);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PatternSyntaxException("interrupted while compiling", pattern);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof PatternSyntaxException syntax) {
                throw syntax;
            }
            throw new PatternSyntaxException("RE2/J failed on it: " + e.getCause(), pattern);
        }
    }

    /** CPU nanoseconds every compile so far has taken on the compile thread (the fuzzers add it to the caller's). */
    static long cpuNanos() {
        return CPU_NANOS.get();
    }

    private static long cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static Thread worker() {
        if (worker == null || !worker.isAlive()) {
            worker = new Thread(null, RegexCompiler::serve, "crs-regex-compile", STACK_BYTES);
            worker.setDaemon(true);
            worker.start();
        }
        return worker;
    }

    /** Runs compiles until this thread is no longer the worker (it was stopped: a stopped compile returns here). */
    private static void serve() {
        while (Thread.currentThread() == worker) {
            try {
                TASKS.take().run();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Stops a thread stuck in RE2/J; its work is thrown away and it holds no lock anyone shares. */
    @SuppressWarnings({"deprecation", "removal"})
    private static boolean stop(Thread stuck) {
        try {
            stuck.stop();
            return true;
        } catch (UnsupportedOperationException | SecurityException refused) {
            stuck.interrupt();
            return false;
        }
    }
}
