package caravan.ship;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.zip.GZIPOutputStream;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Gzips an imported file into {@code <archive>/<yyyy-MM-dd>/<name>.gz} (the day it was archived,
 * UTC). Written to a temporary name and renamed, so the archive never holds half a file; a name
 * already taken that day gets a counter. The original is left to camel-file ({@code delete=true}).
 */
public final class FileArchiver implements Processor {
    private final Path archive;
    private final Clock clock;

    public FileArchiver(Path archive, Clock clock) {
        this.archive = archive;
        this.clock = clock;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class));
        exchange.setProperty(FileImportRoute.ARCHIVED, archive(file));
    }

    /** @return the archive file written */
    public Path archive(Path file) throws IOException {
        Path day = Files.createDirectories(archive.resolve(LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString()));
        String name = file.getFileName().toString();
        Path target = day.resolve(name + ".gz");
        for (int n = 1; Files.exists(target); n++) {
            target = day.resolve(name + "." + n + ".gz");
        }
        Path tmp = day.resolve("." + target.getFileName() + ".tmp");
        try (InputStream in = Files.newInputStream(file); OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
            in.transferTo(out);
        }
        return Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }
}
