package caravan.ops;

import caravan.generate.GenFormat;
import caravan.generate.LineGenerator;
import caravan.generate.RotatingFile;
import caravan.generate.Schedule;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caravan generate}: synthetic access and application logs, reproducible from a seed. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Write synthetic logs (Apache, nginx, app text, JSON) at a rate with bursts, to stdout or a"
                + " rotating file. The same --seed gives the same bytes.")
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--format", defaultValue = "apache",
            description = "apache, nginx, app or json (default: ${DEFAULT-VALUE}).")
    GenFormat format;

    @Option(names = "--rate", defaultValue = "100", description = "Lines per second outside bursts (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--burst-interval", defaultValue = "0", paramLabel = "SECONDS",
            description = "Seconds from one burst to the next; 0 = no bursts (default: ${DEFAULT-VALUE}).")
    double burstInterval;

    @Option(names = "--burst-length", defaultValue = "10", paramLabel = "SECONDS",
            description = "How long a burst lasts (default: ${DEFAULT-VALUE}).")
    double burstLength;

    @Option(names = "--burst-factor", defaultValue = "5", description = "Rate multiplier during a burst (default: ${DEFAULT-VALUE}).")
    double burstFactor;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N lines (default: never).")
    Long count;

    @Option(names = "--seed", description = "Seed of the random choices; the same seed gives the same output (default: random).")
    Long seed;

    @Option(names = "--start", paramLabel = "INSTANT",
            description = "Time of the first line, ISO-8601 (default: 2026-01-01T00:00:00Z, or now with --realtime).")
    String start;

    @Option(names = "--realtime", description = "Write each line at its time, stamped from now: a live log at --rate.")
    boolean realtime;

    @Option(names = "--bots", defaultValue = "0.05", description = "Share of requests from crawlers and scripts (default: ${DEFAULT-VALUE}).")
    double bots;

    @Option(names = "--attacks", defaultValue = "0.02", description = "Share of requests that are attacks (default: ${DEFAULT-VALUE}).")
    double attacks;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Append to this file instead of stdout.")
    Path output;

    @Option(names = "--rotate-bytes", defaultValue = "0", description = "Rotate the output file at this size; 0 = never (default: ${DEFAULT-VALUE}).")
    long rotateBytes;

    @Option(names = "--rotate-mode", defaultValue = "rename", description = "rename or copytruncate (default: ${DEFAULT-VALUE}).")
    RotatingFile.Mode rotateMode;

    @Option(names = "--rotate-keep", defaultValue = "5", description = "Rotated copies kept (default: ${DEFAULT-VALUE}).")
    int rotateKeep;

    private final OutputStream stdout;

    public GenerateCommand() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    GenerateCommand(OutputStream stdout) {
        this.stdout = stdout;
    }

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (rotateBytes > 0 && output == null) {
            throw new IllegalArgumentException("--rotate-bytes needs --output FILE");
        }
        Schedule schedule = new Schedule(rate, burstInterval, burstInterval > 0 ? burstLength : 0, burstFactor);
        Instant first = firstInstant();
        LineGenerator gen = new LineGenerator(format, schedule, first, seed != null ? seed : ThreadLocalRandom.current().nextLong(),
                bots, attacks);
        long wallStart = System.nanoTime();
        try (OutputStream out = new BufferedOutputStream(output != null
                ? new RotatingFile(output, rotateMode, rotateBytes, rotateKeep) : new NonClosing(stdout), 1 << 16)) {
            while (count == null || gen.lines() < count) {
                if (realtime) {
                    long due = wallStart + Math.round(gen.nextSeconds() * 1e9) - System.nanoTime();
                    if (due > 0) {
                        out.flush(); // what is due is visible before we wait
                        Thread.sleep(due / 1_000_000, (int) (due % 1_000_000));
                    }
                }
                // One write per line: the rotating file rotates between lines, never inside one.
                byte[] line = (gen.next() + "\n").getBytes(StandardCharsets.UTF_8);
                out.write(line, 0, line.length);
            }
        }
        return 0;
    }

    private Instant firstInstant() {
        if (start != null) {
            try {
                return Instant.parse(start);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--start '" + start + "' is not an ISO-8601 instant like 2026-01-01T00:00:00Z", e);
            }
        }
        return realtime ? Instant.now().truncatedTo(ChronoUnit.MILLIS) : Instant.parse("2026-01-01T00:00:00Z");
    }

    /** Stdout stays open after the command: others (tests, the JVM) still write to it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
