package caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.devstack.JavaFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./caravan's class archive: the first run of a role writes it as the JVM exits, the next maps it (BENCHMARKS.md
 * "JDK 25's AOT cache, session 35"). The second run adds the flag that makes a cache or archive the JVM cannot map an
 * error instead of a silent fall-back, so a launcher that writes one the JVM then refuses fails here. An integration
 * test: the launcher runs the packaged jar.
 */
class LauncherCacheIT {

    /** JDK 25 and later: the AOT cache (classes loaded and linked, and the run's method profiles). */
    @Test
    void onJdk25TheFirstRunWritesTheAotCacheAndTheNextMapsIt(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(JavaFinder.has(25), "no JDK 25 or later under /usr/lib/jvm or JAVA_HOME");
        String java = JavaFinder.find(25).toString();

        Tools.Result first = launch(dir, java, "");
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).as("the JVM's cache messages and JDK 24's Unsafe warning are left out")
                .contains("Usage:").doesNotContainIgnoringCase("warning");
        assertThat(written(dir, ".aot")).as("the cache, named for the role and the JDK").hasSize(1)
                .allSatisfy(p -> assertThat(p.getFileName().toString()).matches("caravan-index-jdk\\d+\\.aot"))
                .allSatisfy(p -> assertThat(Files.size(p)).isGreaterThan(1 << 20));

        Tools.Result second = launch(dir, java, "-XX:AOTMode=on"); // on: a cache it cannot map stops the JVM
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).contains("Usage:").doesNotContainIgnoringCase("warning");
    }

    /** JDK 17-24: AppCDS's dynamic archive. */
    @Test
    void beforeJdk25TheFirstRunWritesTheAppCdsArchiveAndTheNextMapsIt(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Runtime.version().feature() < 25, "this JVM is 25 or later: the test above covers it");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        Tools.Result first = launch(dir, java, "");
        assertThat(first.exit()).as(first.output()).isZero();
        assertThat(first.output()).contains("Usage:").doesNotContainIgnoringCase("warning");
        assertThat(written(dir, ".jsa")).extracting(p -> p.getFileName().toString()).containsExactly("caravan-index.jsa");

        Tools.Result second = launch(dir, java, "-Xshare:on"); // on: an archive it cannot map stops the JVM
        assertThat(second.exit()).as(second.output()).isZero();
        assertThat(second.output()).contains("Usage:").doesNotContainIgnoringCase("warning");
    }

    /** {@code ./caravan index --help} on that JVM, at the launcher's own flags plus {@code extra}, archives in dir. */
    private static Tools.Result launch(Path dir, String java, String extra) throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "CARAVAN_JAVA=" + java, "CARAVAN_CDS_DIR=" + dir,
                "JAVA_OPTS=" + String.join(" ", LauncherFlagsTest.flags("JAVA_HEAP_INDEX")) + " " + extra));
        command.addAll(List.of("./caravan", "index", "--help"));
        return Tools.run(Tools.ROOT, null, command.toArray(String[]::new));
    }

    private static List<Path> written(Path dir, String suffix) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(suffix)).toList();
        }
    }
}
