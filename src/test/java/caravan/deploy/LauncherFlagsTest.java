package caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The JVM flags measured for each role (./caravan's JAVA_HEAP_SHIP and JAVA_HEAP_INDEX, BENCHMARKS.md "Memory")
 * are the ones every other launcher starts that role with, so that a change measured in one place reaches them all.
 * Containers size the heap from their memory limit instead, so only the other flags must match there.
 */
class LauncherFlagsTest {

    @Test
    void systemdUnitsStartEachRoleWithTheLaunchersFlags() throws Exception {
        assertThat(read("systemd/caravan.service")).contains(line(flags("JAVA_HEAP_INDEX")));
        assertThat(read("systemd/caravan-index.service")).contains(line(flags("JAVA_HEAP_INDEX")));
        assertThat(read("systemd/caravan-ship.service")).contains(line(flags("JAVA_HEAP_SHIP")));
    }

    @Test
    void containersStartTheIndexerWithTheLaunchersNonHeapFlags() throws Exception {
        List<String> index = notHeapSize(flags("JAVA_HEAP_INDEX"));
        assertThat(index).as("the indexer's collector, chosen in BENCHMARKS.md \"Memory\"").contains("-XX:+UseParallelGC");
        for (String file : List.of("Dockerfile", "docker-compose.yml", "k8s/base/indexer.yaml")) {
            assertThat(read(file)).as(file).contains(index);
        }
        assertThat(read("k8s/base/shipper.yaml")).contains(line(flags("JAVA_HEAP_SHIP")));
    }

    @Test
    void theDemoRunsAtTheIndexersFlags() throws Exception {
        assertThat(read("caravan")).contains("${JAVA_OPTS:-" + line(flags("JAVA_HEAP_INDEX")) + "}");
    }

    /** A flag this JDK does not know (the C heap trim needs 17.0.11 or later) would stop the role at launch. */
    @Test
    void thisJdkStartsWithEachRolesFlags() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        for (String variable : List.of("JAVA_HEAP_SHIP", "JAVA_HEAP_INDEX")) {
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(flags(variable));
            command.add("-version");
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(variable + ": " + out).isZero();
        }
    }

    /** The flags of one of ./caravan's JAVA_HEAP_* assignments. */
    static List<String> flags(String variable) throws Exception {
        Matcher m = Pattern.compile("(?m)^" + variable + "=\"([^\"]+)\"$").matcher(read("caravan"));
        assertThat(m.find()).as(variable + " in ./caravan").isTrue();
        return Arrays.asList(m.group(1).trim().split("\\s+"));
    }

    private static List<String> notHeapSize(List<String> flags) {
        return flags.stream().filter(f -> !f.startsWith("-Xms") && !f.startsWith("-Xmx")).toList();
    }

    private static String line(List<String> flags) {
        return String.join(" ", flags);
    }

    private static String read(String path) throws Exception {
        return Files.readString(Tools.ROOT.resolve(path));
    }
}
