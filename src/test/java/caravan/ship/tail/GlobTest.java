package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobTest {
    @TempDir
    Path dir;

    @Test
    void starStaysInOneSegment() {
        Glob g = Glob.of("/var/log/app/*.log");
        assertThat(g.base()).isEqualTo(Path.of("/var/log/app"));
        assertThat(g.matches(Path.of("/var/log/app/a.log"))).isTrue();
        assertThat(g.matches(Path.of("/var/log/app/sub/a.log"))).isFalse();
        assertThat(g.matches(Path.of("/var/log/app/a.log.1"))).isFalse();
    }

    @Test
    void doubleStarCrossesSegmentsAndMatchesNone() {
        Glob g = Glob.of("/var/log/**/*.log");
        assertThat(g.base()).isEqualTo(Path.of("/var/log"));
        assertThat(g.matches(Path.of("/var/log/syslog.log"))).isTrue();
        assertThat(g.matches(Path.of("/var/log/a/b/c.log"))).isTrue();
        assertThat(g.matches(Path.of("/var/log/a/b/c.txt"))).isFalse();
        assertThat(Glob.of("/var/log/**").matches(Path.of("/var/log/x/y"))).isTrue();
    }

    @Test
    void classesAlternativesAndEscapes() {
        assertThat(Glob.of("/l/access{,-ssl}.log").matches(Path.of("/l/access-ssl.log"))).isTrue();
        assertThat(Glob.of("/l/access{,-ssl}.log").matches(Path.of("/l/access.log"))).isTrue();
        assertThat(Glob.of("/l/app.log.[0-9]").matches(Path.of("/l/app.log.7"))).isTrue();
        assertThat(Glob.of("/l/app.log.[!0-9]").matches(Path.of("/l/app.log.7"))).isFalse();
        assertThat(Glob.of("/l/a?.log").matches(Path.of("/l/ab.log"))).isTrue();
        assertThat(Glob.of("/l/a\\*.log").matches(Path.of("/l/a*.log"))).isTrue();
        assertThat(Glob.of("/l/a\\*.log").matches(Path.of("/l/ab.log"))).isFalse();
        assertThat(Glob.of("/l/(x)+.log").matches(Path.of("/l/(x)+.log"))).isTrue();
    }

    @Test
    void aPlainPathIsItsOwnGlob() {
        Glob g = Glob.of("/var/log/apache2/access.log");
        assertThat(g.base()).isEqualTo(Path.of("/var/log/apache2"));
        assertThat(g.matches(Path.of("/var/log/apache2/access.log"))).isTrue();
        assertThat(g.matches(Path.of("/var/log/apache2/access.log.1"))).isFalse();
    }

    @Test
    void expandsWalksAndExcludes() throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("x.log"), "1\n");
        Files.writeString(dir.resolve("y.log.gz"), "1\n");
        Files.writeString(dir.resolve("a/b/z.log"), "1\n");
        Files.writeString(dir.resolve("a/skip.log"), "1\n");
        Files.createSymbolicLink(dir.resolve("link.log"), dir.resolve("x.log"));
        assertThat(Glob.of(dir + "/*.log").expand(null))
                .containsExactlyInAnyOrder(dir.resolve("x.log"), dir.resolve("link.log"));
        assertThat(Glob.of(dir + "/**/*.log").expand(Glob.exclusion("skip*")))
                .containsExactlyInAnyOrder(dir.resolve("x.log"), dir.resolve("link.log"), dir.resolve("a/b/z.log"));
        assertThat(Glob.of(dir + "/**").expand(Glob.exclusion(dir + "/a/**")))
                .containsExactlyInAnyOrder(dir.resolve("x.log"), dir.resolve("y.log.gz"), dir.resolve("link.log"));
        assertThat(Glob.of(dir + "/missing/*.log").expand(null)).isEmpty();
    }
}
