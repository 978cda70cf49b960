package caravan.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
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

    /** The flags of one of ./caravan's JAVA_HEAP_* assignments. */
    private static List<String> flags(String variable) throws Exception {
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
