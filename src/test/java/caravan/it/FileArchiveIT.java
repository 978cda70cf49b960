package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.generate.GenFormat;
import caravan.generate.LineGenerator;
import caravan.generate.Schedule;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.zip.GZIPInputStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, archiving: files dropped into a `from: file:` source are shipped whole, every line is
 * indexed once, and each file lands gzipped in the archive; a file Kafka refuses stays where it is.
 */
class FileArchiveIT {

    @Test
    void threeFilesAreIndexedOnceAndArchivedAndARefusedOneStays() throws Exception {
        try (Pipeline p = new Pipeline()) {
            Path in = Files.createDirectories(p.dir.resolve("in"));
            Path archive = p.dir.resolve("archive");
            Files.writeString(p.routes.resolve("it-import.yaml"), """
                    - route:
                        id: it-import
                        from:
                          uri: "file:%s"
                          parameters: {delete: true, readLock: changed, readLockCheckInterval: 200, delay: 300}
                          steps:
                            - setHeader: {name: CaravanFormat, constant: combined}
                            - to: "direct:file-import"
                    """.formatted(in));
            Properties props = p.properties();
            props.setProperty("caravan.archive.dir", archive.toString());
            p.start(props);

            LineGenerator gen = new LineGenerator(GenFormat.APACHE, new Schedule(100, 0, 0, 1), Instant.now(), 17, 0.05, 0.02);
            List<String> contents = new ArrayList<>();
            int perFile = 700;
            for (int f = 0; f < 3; f++) {
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < perFile; i++) {
                    b.append(gen.next()).append('\n');
                }
                contents.add(b.toString());
                Path tmp = p.dir.resolve("part-" + f + ".log");
                Files.writeString(tmp, b);
                Files.move(tmp, in.resolve("access-" + f + ".log")); // appears whole
            }
            p.awaitAllCommitted(3L * perFile, Duration.ofMinutes(3));
            p.awaitCount(3L * perFile, Duration.ofMinutes(1));
            assertThat(p.ids()).hasSize(3 * perFile);

            Path day = archive.resolve(LocalDate.now(ZoneOffset.UTC).toString());
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.isDirectory(day) && gz(day).size() == 3);
            List<String> archived = new ArrayList<>();
            for (Path gz : gz(day)) {
                try (InputStream z = new GZIPInputStream(Files.newInputStream(gz))) {
                    archived.add(new String(z.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            assertThat(archived).containsExactlyInAnyOrderElementsOf(contents);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> listing(in).isEmpty());

            // A line over the producer's 8 MiB request limit: Kafka refuses it, so the file is not archived.
            long before = p.topicLines();
            Files.writeString(p.dir.resolve("big.tmp"), "x".repeat(9 << 20) + "\n");
            Files.move(p.dir.resolve("big.tmp"), in.resolve("too-big.log"));
            Thread.sleep(8000); // several polls, each failing
            assertThat(in.resolve("too-big.log")).exists();
            assertThat(gz(day)).hasSize(3);
            assertThat(p.topicLines()).isEqualTo(before);
            assertThat(p.count()).isEqualTo(3L * perFile);
        }
    }

    private static List<Path> gz(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".gz")).sorted().toList();
        }
    }

    private static List<Path> listing(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }
}
