package caravan.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RotatingFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(RotatingFile.Mode.class)
    void rotatesBetweenLinesAndKeepsEveryLine(RotatingFile.Mode mode) throws Exception {
        Path f = dir.resolve("access.log");
        Object inodeBefore;
        try (RotatingFile out = new RotatingFile(f, mode, 1000, 20)) {
            inodeBefore = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            for (int i = 0; i < 300; i++) {
                out.write(String.format("line %05d%n", i).getBytes(StandardCharsets.US_ASCII));
            }
            assertThat(out.rotations()).isEqualTo(3); // 11 bytes a line, 90 lines a file
        }
        StringBuilder all = new StringBuilder();
        for (int i = 3; i >= 1; i--) {
            Path old = dir.resolve("access.log." + i);
            assertThat(Files.size(old)).isLessThanOrEqualTo(1000);
            all.append(Files.readString(old));
        }
        all.append(Files.readString(f));
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            expected.append(String.format("line %05d%n", i));
        }
        assertThat(all.toString()).isEqualTo(expected.toString());
        Object inodeAfter = Files.readAttributes(f, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        if (mode == RotatingFile.Mode.COPYTRUNCATE) {
            assertThat(inodeAfter).isEqualTo(inodeBefore);
        } else {
            assertThat(inodeAfter).isNotEqualTo(inodeBefore);
        }
    }

    @ParameterizedTest
    @EnumSource(RotatingFile.Mode.class)
    void keepsOnlyTheNewestCopies(RotatingFile.Mode mode) throws Exception {
        Path f = dir.resolve("app.log");
        try (RotatingFile out = new RotatingFile(f, mode, 100, 2)) {
            for (int i = 0; i < 100; i++) {
                out.write("0123456789\n".getBytes(StandardCharsets.US_ASCII));
            }
        }
        assertThat(dir.resolve("app.log.1")).exists();
        assertThat(dir.resolve("app.log.2")).exists();
        assertThat(dir.resolve("app.log.3")).doesNotExist();
    }
}
