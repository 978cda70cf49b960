package caravan.soak;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Writes the soak's lines into {@code files} access logs at a steady rate, rotating them, and remembers
 * where each line went, so the verdict can tell exactly which lines are missing or doubled.
 *
 * <p>Line {@code seq} of file {@code f} asks for {@code /soak/f/seq}: the URL names the line. Every
 * {@code rotateEvery} lines all files rotate, file {@code f} in round {@code r} by rename when
 * {@code r + f} is even, by copytruncate when odd, so both kinds happen in every round. Rotated
 * copies are kept ({@code f.1}, {@code f.2}, ...; none deleted), so a line the shipper has not read
 * yet is never taken away from it: whatever is missing is Caravan's doing. The writer rotates
 * between its own writes, as a logger that reopens on a signal does: copytruncate loses no line here.
 */
final class SoakWriter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private final Path dir;
    private final SoakConfig c;
    private final FileChannel[] channels;
    /** Where each line went: its file generation (rotations before it) and byte offset in that generation. */
    private final int[][] generations;
    private final long[][] offsets;
    private final int[] count;
    private final long[] position;
    private final int[] generation;
    private volatile int written;
    private volatile int rotations;

    SoakWriter(Path dir, SoakConfig c) throws IOException {
        this.dir = dir;
        this.c = c;
        int perFile = (c.lines() + c.files() - 1) / c.files();
        channels = new FileChannel[c.files()];
        generations = new int[c.files()][perFile];
        offsets = new long[c.files()][perFile];
        count = new int[c.files()];
        position = new long[c.files()];
        generation = new int[c.files()];
        for (int f = 0; f < c.files(); f++) {
            channels[f] = open(file(f));
        }
    }

    /** {@code <dir>/access-<f>.log}. */
    Path file(int f) {
        return dir.resolve("access-" + f + ".log");
    }

    /** The glob that matches every file and its rotated copies. */
    String glob() {
        return dir.resolve("access-*.log*").toString();
    }

    /** The line {@code seq} of file {@code f}, without its newline. */
    static String line(int f, int seq, Instant when) {
        return "10.15." + f + "." + (1 + seq % 250) + " - - [" + TIME.format(when) + "] \"GET /soak/" + f + "/" + seq
                + " HTTP/1.1\" 200 " + (100 + seq % 900) + " \"-\" \"caravan-soak/1.0\"";
    }

    /** The (file, seq) a URL written by {@link #line} names, or null. */
    static int[] parse(String url) {
        if (url == null || !url.startsWith("/soak/")) {
            return null;
        }
        int slash = url.indexOf('/', 6);
        try {
            return new int[] {Integer.parseInt(url.substring(6, slash)), Integer.parseInt(url.substring(slash + 1))};
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Writes every line at the configured rate; returns when all are written. */
    void run() throws IOException, InterruptedException {
        long start = System.nanoTime();
        int next = 0;
        while (next < c.lines()) {
            long due = Math.min(c.lines(), (System.nanoTime() - start) / 1_000_000L * c.linesPerSecond() / 1000 + 1);
            if (next >= due) {
                Thread.sleep(10);
                continue;
            }
            Instant now = Instant.now();
            StringBuilder[] batch = new StringBuilder[c.files()];
            for (; next < due; next++) {
                int f = next % c.files();
                if (batch[f] == null) {
                    batch[f] = new StringBuilder();
                }
                int seq = count[f]++;
                String l = line(f, seq, now) + "\n";
                generations[f][seq] = generation[f];
                offsets[f][seq] = position[f] + batch[f].length(); // ASCII: chars are bytes
                batch[f].append(l);
                if ((next + 1) % c.rotateEvery() == 0 && next + 1 < c.lines()) {
                    flush(batch);
                    rotateAll((next + 1) / c.rotateEvery());
                }
            }
            flush(batch);
            written = next;
        }
        for (FileChannel ch : channels) {
            ch.force(false);
        }
    }

    private void flush(StringBuilder[] batch) throws IOException {
        for (int f = 0; f < batch.length; f++) {
            if (batch[f] == null || batch[f].isEmpty()) {
                continue;
            }
            ByteBuffer b = ByteBuffer.wrap(batch[f].toString().getBytes(StandardCharsets.US_ASCII));
            position[f] += b.remaining();
            while (b.hasRemaining()) {
                channels[f].write(b);
            }
            batch[f].setLength(0);
        }
    }

    private void rotateAll(int round) throws IOException {
        for (int f = 0; f < c.files(); f++) {
            Path file = file(f);
            shiftCopies(file);
            if ((round + f) % 2 == 0) {
                channels[f].close();
                Files.move(file, numbered(file, 1));
                channels[f] = open(file);
            } else {
                Files.copy(file, numbered(file, 1));
                channels[f].truncate(0);
            }
            position[f] = 0;
            generation[f]++;
            rotations++;
        }
    }

    /** f.n to f.n+1, from the oldest down, nothing deleted. */
    private static void shiftCopies(Path file) throws IOException {
        int n = 1;
        while (Files.exists(numbered(file, n))) {
            n++;
        }
        for (int i = n - 1; i >= 1; i--) {
            Files.move(numbered(file, i), numbered(file, i + 1), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static Path numbered(Path file, int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    private static FileChannel open(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    int written() {
        return written;
    }

    int rotations() {
        return rotations;
    }

    int files() {
        return c.files();
    }

    /** Lines written to file {@code f}. */
    int count(int f) {
        return count[f];
    }

    int generationOf(int f, int seq) {
        return generations[f][seq];
    }

    long offsetOf(int f, int seq) {
        return offsets[f][seq];
    }

    void close() throws IOException {
        for (FileChannel ch : channels) {
            ch.close();
        }
    }
}
