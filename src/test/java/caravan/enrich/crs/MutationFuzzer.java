package caravan.enrich.crs;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A fast, blind mutation fuzzer of the CRS engine, its transformations and the rule-file reader
 * ({@link FuzzTargets}), deterministic by seed; {@code bench/mutate.sh} runs it. Unlike Jazzer it is
 * not coverage-guided: it mutates seeds ({@link Mutator}) and checks a contract on every input.
 *
 * <p>Contract: no exception escapes (the reader may throw {@link CrsException}, its documented
 * failure), and the time is linear in the input. CPU time per input is summed per size bucket; the
 * run fails when inputs of 16-64 KiB cost more than {@code K} times the nanoseconds per byte of inputs
 * of 256 B-4 KiB ({@code -Dcaravan.fuzz.linear-k}, default 4), or when one large input does (confirmed by
 * a rerun; {@code -Dcaravan.fuzz.allow-ns-per-byte} raises that bar for a target with a documented
 * constant). A failing or slow input is written to {@code target/mutate/} to become a seed; an input
 * still running after {@code -Dcaravan.fuzz.hang-seconds} (default 120) is written there too, and the
 * run stops.
 *
 * <p>Usage: {@code MutationFuzzer <inputs> <engine|transformations|ruleReader> [seed] [max bytes] [grow per mille]}
 */
public final class MutationFuzzer {
    static final int[] BUCKETS = {256, 1024, 4096, 16384, Integer.MAX_VALUE};
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** The first inputs run cold (interpreter, class loading, lazy compiles): not measured. */
    private final int warmUp;

    private final String target;
    private final Path out;
    private final double k;
    /** Nanoseconds per byte an input may always take (the reader's documented worst case), 0 for none. */
    private final double allowed = Double.parseDouble(System.getProperty("caravan.fuzz.allow-ns-per-byte", "0"));
    final Map<String, Stats> stats = new TreeMap<>();
    final List<String> findings = new ArrayList<>();
    private volatile byte[] current;
    private volatile long startedAt;
    private long inputs;

    MutationFuzzer(String target, Path out, double k, int warmUp) {
        this.target = target;
        this.out = out;
        this.k = k;
        this.warmUp = warmUp;
    }

    /** Per key: inputs, bytes and CPU nanoseconds per size bucket. */
    static final class Stats {
        final long[] count = new long[BUCKETS.length];
        final long[] bytes = new long[BUCKETS.length];
        final long[] nanos = new long[BUCKETS.length];
        /** The last few inputs of 256 B-4 KiB, to measure the small inputs' speed again when a large one is slow. */
        final java.util.ArrayDeque<Small> recentSmall = new java.util.ArrayDeque<>();
        int largest;

        static int bucket(int size) {
            int b = 0;
            while (size >= BUCKETS[b]) {
                b++;
            }
            return b;
        }

        /** Nanoseconds per byte over the buckets {@code from..to}, or NaN without 20 samples. */
        double nsPerByte(int from, int to) {
            long c = 0;
            long by = 0;
            long ns = 0;
            for (int b = from; b <= to; b++) {
                c += count[b];
                by += bytes[b];
                ns += nanos[b];
            }
            return c < 20 || by == 0 ? Double.NaN : (double) ns / by;
        }
    }

    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[0].replace("_", ""));
        String target = args[1];
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        int maxBytes = args.length > 3 ? Integer.parseInt(args[3]) : Mutator.MAX_BYTES;
        int grow = args.length > 4 ? Integer.parseInt(args[4]) : target.equals("engine") ? 10 : 30;
        Path out = Path.of("target/mutate");
        Files.createDirectories(out);
        MutationFuzzer f = new MutationFuzzer(target, out, Double.parseDouble(System.getProperty("caravan.fuzz.linear-k", "4")), 2_000);
        long t0 = System.nanoTime();
        f.run(n, new Mutator(seed, FuzzTargets.seeds(target), grow, maxBytes), FuzzTargets.target(target));
        double wall = (System.nanoTime() - t0) / 1e9;
        String report = f.report(seed, wall);
        System.out.print(report);
        Files.writeString(out.resolve("summary.txt"), report, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        System.exit(f.verdict().isEmpty() ? 0 : 1);
    }

    /** Runs {@code n} inputs; findings are collected, not thrown. */
    void run(long n, Mutator mutator, FuzzTargets.Target t) {
        Thread watchdog = new Thread(this::watch, "mutate-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        for (inputs = 0; inputs < n; inputs++) {
            byte[] input = mutator.next();
            current = input;
            startedAt = System.nanoTime();
            try {
                t.run(input, (key, bytes, work) -> time(key, bytes, work, input));
            } catch (CrsException documented) {
                // the reader's failure with file, line and reason
            } catch (Throwable e) {
                StringWriter trace = new StringWriter();
                e.printStackTrace(new PrintWriter(trace));
                finding("crash", input, e + "\n" + trace.toString().lines().limit(12).reduce("", (a, l) -> a + l + "\n"));
            }
            current = null;
        }
    }

    void time(String key, int bytes, Runnable work, byte[] input) {
        long took = cpu(work);
        if (inputs < warmUp) {
            return;
        }
        Stats s = stats.computeIfAbsent(key, x -> new Stats());
        int b = Stats.bucket(bytes);
        s.count[b]++;
        s.bytes[b] += bytes;
        s.nanos[b] += took;
        s.largest = Math.max(s.largest, bytes);
        double small = s.nsPerByte(1, 2);
        double limit = Math.max(k * small, allowed) * bytes;
        if (b == 1 || b == 2) {
            s.recentSmall.addLast(new Small(bytes, work));
            if (s.recentSmall.size() > 8) {
                s.recentSmall.removeFirst();
            }
        }
        if (bytes >= 4096 && took > 20_000_000L && took > limit) {
            long fastest = fastestAgain(work, limit);
            double smallNow = fastest > limit ? smallNow(s) : small;
            if (fastest > Math.max(k * smallNow, allowed) * bytes) {
                finding("slow", input, String.format("%s: %.1f ms CPU on %d bytes (fastest of the reruns %.1f ms, limit %.1f),"
                        + " %.0f ns/byte against %.1f for 256 B-4 KiB (%.1f for the last of them run again now)", key,
                        took / 1e6, bytes, fastest / 1e6, limit / 1e6, (double) took / bytes, small, smallNow));
            }
        }
    }

    /**
     * Nanoseconds per byte of the key's last small inputs, each run again now (fastest of three). A
     * super-linear input is slow against them too; when the whole JVM is slower for a while (a method
     * the JIT gave up on and left interpreted, a throttled VM), they are as slow, and the input is not
     * the cause. One fresh-clone run measured an 8 KiB rule file at 30 ms thirty times in a row, which
     * takes 1-3 ms in any other JVM.
     */
    private double smallNow(Stats s) {
        long ns = 0;
        long bytes = 0;
        for (Small small : s.recentSmall) {
            long fastest = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                fastest = Math.min(fastest, cpu(small.work()));
            }
            ns += fastest;
            bytes += small.bytes();
        }
        return bytes == 0 ? Double.NaN : (double) ns / bytes;
    }

    private record Small(int bytes, Runnable work) {
    }

    /** CPU nanoseconds of {@code work}, its regex compiles included; the reader's documented failure ends it like a return. */
    private long cpu(Runnable work) {
        long c0 = CPU.getCurrentThreadCpuTime() + RegexCompiler.cpuNanos();
        try {
            work.run();
        } catch (CrsException e) {
            if (!target.equals("ruleReader")) {
                throw e;
            }
        }
        return CPU.getCurrentThreadCpuTime() + RegexCompiler.cpuNanos() - c0;
    }

    /**
     * The input's fastest CPU time over up to three rounds of ten more runs, half a second apart, stopping
     * once one is under {@code limit}. A super-linear path stays slow every time; a GC pause, a
     * descheduled or throttled VM, or code the JIT has not compiled yet (a short replay measures from its
     * 500th input) does not outlast the pauses. CI runs caught a rule file at 32 ms three times in a row
     * (5-8 ms once compiled), and CRS's largest pattern at over 15.6 ms ten times in a row (4-10 ms here).
     */
    private long fastestAgain(Runnable work, double limit) {
        long fastest = Long.MAX_VALUE;
        for (int round = 0; round < 3 && fastest > limit; round++) {
            if (round > 0) {
                pause(500);
            }
            for (int i = 0; i < 10 && fastest > limit; i++) {
                fastest = Math.min(fastest, cpu(work));
            }
        }
        return fastest;
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void finding(String kind, byte[] input, String what) {
        Path file = out.resolve(kind + "-" + target + "-" + Integer.toHexString(java.util.Arrays.hashCode(input)));
        try {
            Files.write(file, input);
        } catch (IOException e) {
            what += " (could not write " + file + ": " + e + ")";
        }
        findings.add(kind + " at input " + inputs + ", saved to " + file + ": " + what);
        System.err.println("FINDING " + findings.get(findings.size() - 1));
    }

    /** Writes an input that runs for longer than the hang limit, with its stack, and ends the run. */
    private void watch() {
        long limit = Long.getLong("caravan.fuzz.hang-seconds", 120) * 1_000_000_000L;
        while (true) {
            byte[] input = current;
            if (input != null && System.nanoTime() - startedAt > limit && input == current) {
                finding("hang", input, "still running after " + limit / 1_000_000_000L + " s");
                Thread.getAllStackTraces().forEach((th, st) -> {
                    if (th.getName().equals("main")) {
                        for (StackTraceElement e : st) {
                            System.err.println("  at " + e);
                        }
                    }
                });
                Runtime.getRuntime().halt(2);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Findings, linearity failures included; empty when the contract held. */
    List<String> verdict() {
        List<String> out = new ArrayList<>(findings);
        stats.forEach((key, s) -> {
            double small = s.nsPerByte(1, 2);
            double large = s.nsPerByte(4, 4);
            if (large > k * small) {
                out.add(String.format("%s: inputs of 16-64 KiB cost %.1f ns/byte, %.1fx the %.1f of 256 B-4 KiB (K=%.1f)",
                        key, large, large / small, small, k));
            }
        });
        return out;
    }

    String report(long seed, double wall) {
        StringBuilder b = new StringBuilder(String.format("# %s target=%s inputs=%d seed=%d wall=%.0fs rate=%.0f/s load=%s%n",
                java.time.Instant.now(), target, inputs, seed, wall, inputs / wall, loadAverage()));
        b.append(String.format("%-42s %9s %8s %s%n", "key (after " + warmUp + " warm-up inputs)", "inputs", "largest",
                "ns/byte by size <256 | <1K | <4K | <16K | <=64K (inputs)"));
        stats.forEach((key, s) -> {
            long c = java.util.Arrays.stream(s.count).sum();
            b.append(String.format("%-42s %9d %8d", key, c, s.largest));
            for (int i = 0; i < BUCKETS.length; i++) {
                b.append(String.format(" | %.1f (%d)", s.count[i] == 0 ? Double.NaN : (double) s.nanos[i] / Math.max(1, s.bytes[i]),
                        s.count[i]));
            }
            b.append(String.format("  large/small %.2f%n", s.nsPerByte(4, 4) / s.nsPerByte(1, 2)));
        });
        List<String> v = verdict();
        b.append(v.isEmpty() ? "no finding\n" : String.join("\n", v) + "\n");
        return b.toString();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
