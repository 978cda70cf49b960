package caravan.enrich.ua;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import nl.basjes.parse.useragent.UserAgentAnalyzer;
import nl.basjes.parse.useragent.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * YAUAA's matchers, built once when the jar is packaged and kept in it as a Kryo snapshot, which
 * YAUAA supports. Reading it takes about half the time of building the matchers, and the first
 * document of a start waits for them (BENCHMARKS.md "Start-up").
 *
 * <p>The matchers are compacted ({@link MatcherIndex}) before they are written. The snapshot starts
 * with a stamp of the YAUAA build and the field list. A snapshot with another
 * stamp, or none in the jar, is said once and the matchers are built as before.
 */
final class AnalyzerSnapshot {
    private static final Logger LOG = LoggerFactory.getLogger(AnalyzerSnapshot.class);
    static final String RESOURCE = "caravan/enrich/ua/yauaa-matchers.kryo.gz";

    private AnalyzerSnapshot() {
    }

    /** The matchers this build would make; the one place that says how they are built. */
    static UserAgentAnalyzer build() {
        // YAUAA's own cache is off: ours holds the few extracted strings, not YAUAA's full result.
        // dropTests: YAUAA's own test cases stay out of the heap (133 -> 108 MB retained, BENCHMARKS.md "Memory")
        return UserAgentAnalyzer.newBuilder().hideMatcherLoadStats().withCache(0)
                .withFields(UserAgentEnricher.FIELDS).dropTests().immediateInitialization().build();
    }

    /** The matchers built and then compacted: what the jar's snapshot holds, and what a start without one uses. */
    static UserAgentAnalyzer buildCompacted() {
        UserAgentAnalyzer analyzer = build();
        MatcherIndex.compact(analyzer);
        return analyzer;
    }

    /** What a snapshot must match: the YAUAA build and the fields it was made for. */
    static String stamp() {
        return "yauaa " + Version.getInstance().getProjectVersion() + " " + Version.getInstance().getGitCommitId()
                + " fields " + String.join(",", UserAgentEnricher.FIELDS) + " index compacted, paths packed, tries shared";
    }

    /** The jar's snapshot, or empty (and the reason logged) when there is none that fits. */
    static Optional<UserAgentAnalyzer> fromJar() {
        return from(AnalyzerSnapshot.class.getClassLoader().getResourceAsStream(RESOURCE), RESOURCE);
    }

    /** The snapshot in {@code in} (null when there is none), or empty with the reason logged. */
    static Optional<UserAgentAnalyzer> from(InputStream in, String name) {
        if (in == null) {
            LOG.info("No user-agent snapshot {}: building the matchers", name);
            return Optional.empty();
        }
        try (in) {
            return read(in);
        } catch (IOException | RuntimeException e) { // KryoException and a bad gzip stream are runtime exceptions
            LOG.warn("The user-agent snapshot {} cannot be read ({}): building the matchers", name, e.toString());
            return Optional.empty();
        }
    }

    /** The snapshot in {@code in}, or empty when its stamp is not this build's. */
    static Optional<UserAgentAnalyzer> read(InputStream in) {
        try (Input kryoIn = input(in)) {
            return fits(kryoIn) ? Optional.of((UserAgentAnalyzer) kryo().readClassAndObject(kryoIn)) : Optional.empty();
        }
    }

    private static Input input(InputStream in) {
        try {
            return new Input(new GZIPInputStream(new BufferedInputStream(in, 1 << 16), 1 << 16), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean fits(Input in) {
        String stamp = in.readString();
        if (stamp().equals(stamp)) {
            return true;
        }
        LOG.warn("The user-agent snapshot was made for '{}', not '{}': building the matchers", stamp, stamp());
        return false;
    }

    static void write(UserAgentAnalyzer analyzer, OutputStream out) throws IOException {
        try (Output kryoOut = new Output(new GZIPOutputStream(out, 1 << 16), 1 << 16)) {
            kryoOut.writeString(stamp());
            kryo().writeClassAndObject(kryoOut, analyzer);
        }
    }

    private static Kryo kryo() {
        Kryo kryo = new Kryo(); // registration required (Kryo 5's default): only YAUAA's registered classes are made
        UserAgentAnalyzer.configureKryo(kryo);
        MatcherIndex.register(kryo);
        return kryo;
    }

    /** Run by the build (pom.xml, process-classes): writes the snapshot unless the one there fits. */
    public static void main(String[] args) throws IOException {
        Path target = Path.of(args[0]);
        if (Files.exists(target)) {
            try (Input in = input(Files.newInputStream(target))) {
                if (fits(in)) {
                    return;
                }
            }
        }
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(part)) {
            write(buildCompacted(), out);
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
