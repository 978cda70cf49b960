package caravan.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {

    @Test
    void deletesADirectoryWithEverythingUnderIt(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("scratch/a/b"));
        Files.writeString(root.resolve("deep.log"), "x");
        Files.writeString(tmp.resolve("scratch/top.log"), "y");
        Files.createDirectories(tmp.resolve("scratch/empty"));
        Path keep = Files.writeString(tmp.resolve("beside.log"), "z");

        FileTrees.delete(tmp.resolve("scratch"));

        assertThat(tmp.resolve("scratch")).doesNotExist();
        assertThat(keep).hasContent("z");
    }

    @Test
    void aDirectoryThatIsNotThereIsNoError(@TempDir Path tmp) throws Exception {
        FileTrees.delete(tmp.resolve("never-made"));
        assertThat(tmp.resolve("never-made")).doesNotExist();
    }
}
