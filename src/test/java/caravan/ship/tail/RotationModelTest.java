package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random writes, renames, copytruncates, truncations, deletions, copies and restarts against a
 * model of what must arrive, with the tailer driven step by step on a manual clock ({@link Driven}).
 *
 * <h2>The model</h2>
 * Every line written is an <i>instance</i> that must be delivered exactly once, except:
 * <ul>
 *   <li>a truncation in place, or a deletion, of a file makes the lines in it that were not
 *       delivered yet <i>lossy</i>: they may arrive (the tailer had read them, or read on from its
 *       open handle) or not;</li>
 *   <li>a rename out of the glob of a file the tailer is not reading at that moment, or whose
 *       content was replaced (truncated and written again) since the tailer last read it, makes its
 *       undelivered lines lossy (the tailer never saw that content, or had let the file go);</li>
 *   <li>a byte-identical copy of app.log (not a copytruncate) creates new instances: the copy is
 *       a stream of its own and is shipped in full (issue 12). The model does not truncate the
 *       original until the tailer has had the copy window to decide. A deletion of the original
 *       within that window makes the copy's undelivered lines lossy: a copy and a delete is what a
 *       move across file systems looks like, and the copy may continue the original's stream
 *       (whose lines were delivered from the original).</li>
 * </ul>
 * A copytruncate (copy to a name in the glob, then truncate) loses nothing; renames within the
 * glob, late writes to a rotated file, failed deliveries and clean restarts (in-flight events
 * completed first, as stop() waits for them) lose and repeat nothing. At the end everything is
 * acknowledged and the clock runs on; then for each text, (instances not lossy) &lt;= deliveries
 * &lt;= instances.
 *
 * <p>{@code -Dtail.model.seed=N} replays a run, {@code -Dtail.model.seed=random} hunts with a new
 * one, {@code -Dtail.model.sequences=N} sets its size (5,000 by default), {@code -Dtail.model.only=S}
 * replays the one sequence with seed S, {@code -Dtail.model.dir=D} runs in D instead of tmpfs. A failure
 * prints the seeds and the operations.
 *
 * <p>The suite runs a fixed seed, so that a red build means a change broke a sequence that passed.
 * Sequences that hunts with random seeds found are kept, reduced, in {@link RotationRegressionTest}
 * (named after their seed): 2143469776194458563 (a copytruncate copy continued a deleted copy's
 * stream: lines shipped twice; now in {@link InodeReuseRegressionTest}) and -5375024882950186344 (a
 * truncate-and-rewrite to the same size was not noticed: lines lost) among them; those of session 11 are also replayed as found
 * ({@link #sequencesThatHuntsFound}). One in three sequences with one or two handles runs with
 * three, so that a scan looks at new files in several batches.
 *
 * <p>On a disk file system ({@code -Dtail.model.dir}), where a deleted file's inode number goes to
 * the next file created, hunts found three faults, kept in {@link InodeReuseRegressionTest}. They
 * also fail, now and then, sequences this model cannot judge: a copy made right after a deletion
 * that took the deleted file's number, before the tailer looked, while it held no handle on it
 * (seeds -3818891458282739661, -4950934484521445136). Same number, same head, same anchor: to the
 * tailer that is the deleted file renamed and grown, and no attribute JDK 17 reads tells them apart
 * (a birth time would; JDK 22 reads it). Such a sequence is run, and not judged if it fails; the
 * run counts them ({@link UnlookedInodes}). The suite keeps tmpfs, which does not reuse numbers.
 */
class RotationModelTest {

    @TempDir
    Path tmp;
    /** Sequences that failed but could not be judged: see {@link UnlookedInodes}. */
    private int notJudged;

    private static final class Inst {
        final String text;
        boolean lossy;

        Inst(String text) {
            this.text = text;
        }
    }

    private static final class MFile {
        Path path;
        final List<Inst> lines = new ArrayList<>();
        boolean inGlob = true;
        /** Bare copies made of this file that the tailer has not had a step to see yet. */
        int copiesUnseen;
        /** No truncation of this file before a step at this time has run: a bare copy is being judged. */
        long noTruncateBefore;
        /** A copy of app.log: not written to (a write would restart its copy window, and the judgement). */
        boolean bareCopy;
        /** The bare copies made of this file. */
        final List<MFile> copies = new ArrayList<>();

        MFile(Path path) {
            this.path = path;
        }
    }

    @Test
    void randomRotationsDeliverEveryLineExactlyOnce() throws Exception {
        String seedArg = System.getProperty("tail.model.seed", "20671962657769");
        long seed = seedArg.equals("random") ? System.nanoTime() : Long.parseLong(seedArg);
        int sequences = Integer.getInteger("tail.model.sequences", 5000);
        long t0 = System.nanoTime();
        Long only = Long.getLong("tail.model.only");
        // thousands of sequences of rotations: the tailer's INFO lines would be most of the run time
        org.apache.logging.log4j.Level was = org.apache.logging.log4j.LogManager.getLogger("caravan.ship.tail").getLevel();
        org.apache.logging.log4j.core.config.Configurator.setLevel("caravan.ship.tail",
                only != null ? org.apache.logging.log4j.Level.DEBUG : org.apache.logging.log4j.Level.ERROR);
        Path root = root(); // tmpfs: the run takes seconds, not minutes
        Random run = new Random(seed);
        int ran = 0;
        for (int i = 0; i < (only != null ? 1 : sequences); i++) {
            long s = only != null ? only : run.nextLong();
            List<String> ops = new ArrayList<>();
            String failure;
            try {
                failure = sequence(s, root.resolve("s" + i), ops);
            } catch (Exception | AssertionError e) {
                failure = e.toString();
            }
            if (failure != null) {
                throw new AssertionError("rotation model failed after " + i + " sequences in "
                        + (System.nanoTime() - t0) / 1_000_000_000 + " s: " + failure + "\n  run seed " + seed + " (-Dtail.model.seed="
                        + seed + "), sequence " + i + " with seed " + s + " (-Dtail.model.only=" + s + ")\n  operations:\n    "
                        + String.join("\n    ", ops));
            }
            ran++;
        }
        org.apache.logging.log4j.core.config.Configurator.setLevel("caravan.ship.tail", was);
        if (!root.equals(tmp)) {
            Driven.deleteTree(root);
        }
        System.out.printf("rotation model: %d sequences, seed %d, %.1f s; %d failed unjudged (an inode number reused unseen)%n",
                ran, seed, (System.nanoTime() - t0) / 1e9, notJudged);
        assertThat(ran).isEqualTo(only != null ? 1 : sequences);
    }

    /**
     * Sequences that hunts with random seeds found failing (sessions 11 and 12), replayed as found. The
     * seed draws the operations, so a change to how the model draws them makes these other
     * sequences: reduce a seed to a test in {@link RotationRegressionTest} before such a change.
     */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {2661061269378385665L, 9129486570945572438L, -5759221003811753009L, 4590208302580302365L,
            8115704522737131155L, -3307096026064762400L, 7747757953600990456L, 6382429324255680299L,
            -375187760829892830L, -3711817583898839417L, -1648119070822138297L})
    void sequencesThatHuntsFound(long seed) throws Exception {
        Path root = root();
        List<String> ops = new ArrayList<>();
        try {
            String failure = sequence(seed, root.resolve("s"), ops);
            assertThat(failure).as("operations:\n    %s", String.join("\n    ", ops)).isNull();
        } finally {
            if (!root.equals(tmp)) {
                Driven.deleteTree(root);
            }
        }
    }

    /** tmpfs, or {@code -Dtail.model.dir=D}: a disk file system, which hands a deleted file's inode number to the next file. */
    private Path root() throws IOException {
        String dir = System.getProperty("tail.model.dir");
        return dir == null ? Driven.tmpfsDir("tail-model", tmp) : Files.createTempDirectory(Files.createDirectories(Path.of(dir)), "tail-model");
    }

    /** Runs one random sequence; returns what went wrong, or null. */
    private String sequence(long seed, Path dir, List<String> ops) throws Exception {
        Random r = new Random(seed);
        Files.createDirectories(dir);
        Map<Path, MFile> files = new LinkedHashMap<>();
        List<Inst> all = new ArrayList<>();
        Path live = dir.resolve("app.log");
        int[] names = {0};
        int[] lineNo = {0};
        UnlookedInodes u = new UnlookedInodes();
        int maxOpen = r.nextBoolean() ? 1024 : 1 + r.nextInt(2);
        int maxInflight = r.nextBoolean() ? 10_000 : 1 + r.nextInt(8);
        // the copy window is an option: the default in half the sequences, a few seconds in the rest. Drawn
        // from a generator of its own, so that a seed found before it was drawn still makes the same operations
        Random w = new Random(~seed);
        long copyWindow = w.nextBoolean() ? RotationOptions.DEFAULT_COPY_WINDOW_MS : 3_000 + w.nextInt(20_000);
        if (maxOpen < 1024 && w.nextInt(3) == 0) {
            maxOpen = 3; // a scan then looks at new files two at a time, in several batches
        }
        ops.add("options maxOpenFiles=" + maxOpen + " maxInflight=" + maxInflight + " copyWindow=" + copyWindow);
        Driven d = new Driven(Driven.options(dir.resolve("app.log*"), dir.resolve("cp/model.json"), maxOpen, maxInflight,
                copyWindow));
        try {
            int n = 5 + r.nextInt(30);
            for (int k = 0; k < n; k++) {
                int op = r.nextInt(100);
                MFile app = files.get(live);
                if (op < 28) {
                    int lines = 1 + r.nextInt(20);
                    ops.add("write " + lines + " lines to app.log");
                    boolean created = !Files.exists(live);
                    write(files, all, live, lines, lineNo, r);
                    if (created) {
                        u.created(live, ops);
                    }
                } else if (op < 31 && rotated(files).size() > 0) {
                    MFile f = rotated(files).get(r.nextInt(rotated(files).size()));
                    int lines = 1 + r.nextInt(5);
                    ops.add("late write " + lines + " lines to " + f.path.getFileName());
                    write(files, all, f.path, lines, lineNo, r);
                } else if (op < 58) {
                    int steps = 1 + r.nextInt(5);
                    StringBuilder sb = new StringBuilder("step");
                    for (int j = 0; j < steps; j++) {
                        long ms = 10 + r.nextInt(600);
                        sb.append(' ').append(ms);
                        step(d, files, ms, copyWindow, u);
                    }
                    ops.add(sb.toString());
                } else if (op < 68) {
                    int acks = 1 + r.nextInt(30);
                    int failEvery = r.nextInt(4) == 0 ? 5 : 0;
                    ops.add("complete " + acks + (failEvery > 0 ? " (every 5th fails)" : ""));
                    for (int j = 0; j < acks; j++) {
                        d.complete(failEvery == 0 || j % failEvery != failEvery - 1);
                    }
                } else if (op < 74 && app != null) {
                    boolean out = r.nextInt(3) == 0;
                    Path to = dir.resolve((out ? "gone." : "app.log.") + ++names[0]);
                    ops.add("rename app.log to " + to.getFileName());
                    if (out && !d.reading(live)) {
                        lossy(app, all, d);
                    }
                    Files.move(live, to);
                    files.remove(live);
                    app.path = to;
                    app.inGlob = !out;
                    files.put(to, app);
                } else if (op < 80 && app != null && truncatable(app, d)) {
                    Path to = dir.resolve("app.log." + ++names[0]);
                    ops.add("copytruncate app.log to " + to.getFileName());
                    Files.copy(live, to);
                    u.created(to, ops);
                    truncate(live);
                    MFile copy = new MFile(to);
                    copy.lines.addAll(app.lines);
                    app.lines.clear();
                    files.put(to, copy);
                } else if (op < 83 && app != null && truncatable(app, d)) {
                    ops.add("truncate app.log in place");
                    lossy(app, all, d);
                    truncate(live);
                    app.lines.clear();
                } else if (op < 86 && !files.isEmpty()) {
                    List<MFile> l = new ArrayList<>(files.values());
                    MFile f = l.get(r.nextInt(l.size()));
                    ops.add("delete " + f.path.getFileName());
                    lossy(f, all, d);
                    if (!truncatable(f, d)) {
                        // a copy, then the original deleted before the copy was judged: a move across file
                        // systems looks the same, and the copy may continue the original's stream
                        for (MFile c : f.copies) {
                            lossy(c, all, d);
                        }
                    }
                    u.deleting(f.path);
                    Files.delete(f.path);
                    files.remove(f.path);
                } else if (op < 89 && app != null && !app.lines.isEmpty()) {
                    Path to = dir.resolve("app.log." + ++names[0]);
                    ops.add("copy app.log to " + to.getFileName() + " (a file of its own)");
                    Files.copy(live, to);
                    u.created(to, ops);
                    MFile copy = new MFile(to);
                    copy.bareCopy = true;
                    for (Inst i : app.lines) {
                        Inst c = new Inst(i.text);
                        copy.lines.add(c);
                        all.add(c);
                    }
                    files.put(to, copy);
                    app.copies.add(copy);
                    // the tailer sees the copy at its next step (it scans at every step), and decides at
                    // the first step a copy window later
                    app.copiesUnseen++;
                } else if (op < 95) {
                    ops.add("restart");
                    d.restart();
                    for (MFile f : files.values()) {
                        if (d.lastStepAt < f.noTruncateBefore) {
                            f.copiesUnseen++; // a new tailer judges the copy afresh
                        }
                    }
                } else {
                    long ms = 5_000 + r.nextInt(70_000);
                    ops.add("step, then the clock jumps " + ms + " ms");
                    step(d, files, ms, copyWindow, u);
                }
            }
            ops.add("drain");
            long td = System.nanoTime();
            d.drain();
            if (Boolean.getBoolean("tail.model.timing")) {
                System.out.printf("drain %.3f s%n", (System.nanoTime() - td) / 1e9);
            }
        } finally {
            d.close();
            Driven.deleteTree(dir);
        }
        String failure = check(all, d.delivered);
        if (failure != null && u.taken) {
            notJudged++;
            return null;
        }
        return failure;
    }

    private static void step(Driven d, Map<Path, MFile> files, long ms, long copyWindow, UnlookedInodes u) {
        u.looked();
        long now = d.clock.millis();
        for (MFile f : files.values()) {
            if (f.copiesUnseen > 0) {
                f.copiesUnseen = 0;
                f.noTruncateBefore = Math.max(f.noTruncateBefore, now + copyWindow);
            }
        }
        d.step(ms);
        d.lastStepAt = now;
    }

    private static List<MFile> rotated(Map<Path, MFile> files) {
        // not a copy still being judged: a write to it would restart its copy window
        return files.values().stream().filter(f -> f.inGlob && !f.path.getFileName().toString().equals("app.log")
                && !f.bareCopy).toList();
    }

    /** A copied original is not truncated while the tailer may still take the copy for a copytruncate copy. */
    private static boolean truncatable(MFile app, Driven d) {
        return app.copiesUnseen == 0 && d.lastStepAt >= app.noTruncateBefore;
    }

    private static void write(Map<Path, MFile> files, List<Inst> all, Path p, int lines, int[] lineNo, Random r)
            throws IOException {
        MFile f = files.computeIfAbsent(p, MFile::new);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            Inst in = new Inst("line-" + ++lineNo[0] + " " + "x".repeat(r.nextInt(60)));
            f.lines.add(in);
            all.add(in);
            sb.append(in.text).append('\n');
        }
        Files.writeString(p, sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The file's lines not delivered yet may be lost. */
    private static void lossy(MFile f, List<Inst> all, Driven d) {
        Map<String, Integer> delivered = count(d.delivered);
        Map<String, Integer> instances = new HashMap<>();
        all.forEach(i -> instances.merge(i.text, 1, Integer::sum));
        for (Inst i : f.lines) {
            if (delivered.getOrDefault(i.text, 0) < instances.get(i.text)) {
                i.lossy = true;
            }
        }
    }

    private static void truncate(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    private static Map<String, Integer> count(List<String> texts) {
        Map<String, Integer> m = new HashMap<>();
        texts.forEach(t -> m.merge(t, 1, Integer::sum));
        return m;
    }

    private static String check(List<Inst> all, List<String> delivered) {
        Map<String, Integer> got = count(delivered);
        Map<String, int[]> want = new LinkedHashMap<>(); // text -> {must, may}
        for (Inst i : all) {
            int[] w = want.computeIfAbsent(i.text, t -> new int[2]);
            w[1]++;
            if (!i.lossy) {
                w[0]++;
            }
        }
        List<String> wrong = new ArrayList<>();
        for (Map.Entry<String, int[]> e : want.entrySet()) {
            int g = got.getOrDefault(e.getKey(), 0);
            if (g < e.getValue()[0] || g > e.getValue()[1]) {
                wrong.add(e.getKey().substring(0, e.getKey().indexOf(' ')) + " arrived " + g + " times, expected "
                        + (e.getValue()[0] == e.getValue()[1] ? "" + e.getValue()[0] : e.getValue()[0] + ".." + e.getValue()[1]));
            }
        }
        for (String t : got.keySet()) {
            if (!want.containsKey(t)) {
                wrong.add("unexpected line " + t);
            }
        }
        return wrong.isEmpty() ? null : wrong.size() + " lines wrong: " + wrong.subList(0, Math.min(10, wrong.size()));
    }
}
