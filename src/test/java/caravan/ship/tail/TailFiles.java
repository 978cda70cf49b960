package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Lines written to real files, and the check that a harness got exactly them, each once. */
final class TailFiles {
    // Generous: a loaded 2-core CI machine is much slower than a quiet one, and only failures wait it out.
    static final Duration WAIT = Duration.ofSeconds(90);

    static void append(Path f, String s) throws IOException {
        Files.writeString(f, s, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static List<String> lines(String prefix, int from, int to) {
        List<String> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add(prefix + "-" + i + " lorem ipsum dolor sit amet");
        }
        return l;
    }

    /** Appends the lines, and returns them (for the list of what was written). */
    static List<String> append(Path f, List<String> lines) throws IOException {
        append(f, String.join("\n", lines) + "\n");
        return lines;
    }

    /** Cuts the file to nothing in place, as copytruncate does. */
    static void truncate(Path f) throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    static void awaitExactly(Harness h, List<String> expected) {
        try {
            await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> h.acked.size() >= expected.size());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            java.util.Set<String> got = new java.util.HashSet<>(h.texts());
            List<String> missing = expected.stream().filter(l -> !got.contains(l)).toList();
            throw new AssertionError(h.acked.size() + " of " + expected.size() + " arrived; missing " + missing.size()
                    + ", first " + missing.subList(0, Math.min(5, missing.size())), e);
        }
        sleep(300); // anything extra (a repeat) would show up now
        java.util.Map<String, Integer> count = new java.util.HashMap<>();
        h.texts().forEach(t -> count.merge(t, 1, Integer::sum));
        List<String> missing = new ArrayList<>();
        for (String l : expected) {
            if (count.merge(l, -1, Integer::sum) < 0) {
                missing.add(l);
            }
        }
        List<String> extra = count.entrySet().stream().filter(e -> e.getValue() > 0).map(java.util.Map.Entry::getKey).sorted().toList();
        assertThat(missing).as("missing (then repeated: %s)", extra.subList(0, Math.min(5, extra.size()))).isEmpty();
        assertThat(extra).as("repeated").isEmpty();
    }

    /** A harness tailing {@code glob} that has read every line {@code written} so far: where most cases start. */
    static Harness caughtUp(Path glob, Path checkpoints, List<String> written) throws Exception {
        Harness h = new Harness();
        try {
            h.start(Harness.options(glob, checkpoints).build());
            awaitExactly(h, written);
            return h;
        } catch (Exception | AssertionError e) {
            h.close();
            throw e;
        }
    }

    /** {@link #awaitExactly}, then half a second more in which nothing else may arrive (a late copy read again). */
    static void awaitExactlyAndNoMore(Harness h, List<String> expected) {
        awaitExactly(h, expected);
        sleep(500);
        assertThat(h.acked).hasSize(expected.size());
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @SafeVarargs
    static List<String> concat(List<String>... ls) {
        List<String> out = new ArrayList<>();
        for (List<String> l : ls) {
            out.addAll(l);
        }
        return out;
    }

    private TailFiles() {
    }
}
