package caravan.ship;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.ship.tail.TailConstants;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of direct:file-import: lines with offsets and a content identity, and the gzip archive. */
class FileImportTest {
    @TempDir
    Path dir;

    private Exchange exchangeFor(Path file) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        e.getMessage().setHeader(Exchange.FILE_PATH, file.toString());
        return e;
    }

    @Test
    @SuppressWarnings("unchecked")
    void linesCarryTheirByteOffsetsInBatches() throws Exception {
        Path f = Files.writeString(dir.resolve("a.log"), "one\r\ntwo\n\nthree\nlast-without-newline");
        Exchange e = exchangeFor(f);
        new WholeFileLines("web-1", 2).process(e);
        List<List<Message>> batches = e.getMessage().getBody(List.class);
        assertThat(batches).hasSize(2);
        List<Message> all = batches.stream().flatMap(List::stream).toList();
        assertThat(all).extracting(m -> m.getBody(String.class)).containsExactly("one", "two", "three", "last-without-newline");
        assertThat(all).extracting(m -> m.getHeader(TailConstants.OFFSET)).containsExactly(0L, 5L, 10L, 16L);
        assertThat(e.getMessage().getHeader(TailConstants.HOST)).isEqualTo("web-1");
        assertThat(e.getMessage().getHeader(TailConstants.FILE_PATH)).isEqualTo(f.toAbsolutePath().toString());
        assertThat(e.getProperty(FileImportRoute.LINES)).isEqualTo(4);
    }

    @Test
    void theFileIdentityIsItsContentSoAReImportKeepsItsIds() throws Exception {
        Path a = Files.writeString(dir.resolve("a.log"), "same\n");
        Path b = Files.writeString(dir.resolve("b.log"), "same\n");
        Path c = Files.writeString(dir.resolve("c.log"), "other\n");
        String ida = id(a);
        assertThat(ida).startsWith("sha256:").hasSize(7 + 32);
        assertThat(id(b)).isEqualTo(ida);
        assertThat(id(c)).isNotEqualTo(ida);
    }

    private String id(Path f) throws Exception {
        Exchange e = exchangeFor(f);
        new WholeFileLines("h", 500).process(e);
        return e.getMessage().getHeader(TailConstants.FILE_ID, String.class);
    }

    @Test
    void archivesGzippedUnderTheDayWithoutOverwriting() throws Exception {
        Path f = Files.writeString(dir.resolve("access.log"), "line 1\nline 2\n");
        Clock clock = Clock.fixed(Instant.parse("2026-03-04T23:59:00Z"), ZoneOffset.UTC);
        FileArchiver archiver = new FileArchiver(dir.resolve("archive"), clock);
        Path first = archiver.archive(f);
        Path second = archiver.archive(f);
        assertThat(first).isEqualTo(dir.resolve("archive/2026-03-04/access.log.gz"));
        assertThat(second).isEqualTo(dir.resolve("archive/2026-03-04/access.log.1.gz"));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(first))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("line 1\nline 2\n");
        }
        try (var s = Files.list(dir.resolve("archive/2026-03-04"))) {
            assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactlyInAnyOrder("access.log.gz", "access.log.1.gz");
        }
    }
}
