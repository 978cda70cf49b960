package caravan.ship;

import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * {@code direct:file-import}: a whole file from a camel-file source, shipped line by line and then
 * archived. A source route picks files up and hands them here:
 *
 * <pre>
 * - route:
 *     id: imports
 *     from:
 *       uri: "file:/var/spool/caravan/in"
 *       parameters: {delete: true, readLock: changed}
 *       steps:
 *         - setHeader: {name: CaravanFormat, constant: combined}
 *         - to: "direct:file-import"
 * </pre>
 *
 * Every batch goes through {@code direct:ship}, which completes only when Kafka has acknowledged
 * each line; only then is the file gzipped into {@code caravan.archive.dir}, and camel-file deletes
 * the original. A file that fails (Kafka refuses a line, the archive cannot be written) stays where
 * it is, the reason logged, and is tried again at a later poll; its lines keep their ids, so lines
 * sent twice are indexed once.
 */
public final class FileImportRoute extends RouteBuilder {
    public static final String ENDPOINT = "direct:file-import";
    static final String LINES = "CaravanImportLines";
    static final String ARCHIVED = "CaravanArchivedTo";

    @Override
    public void configure() {
        onException(Exception.class)
                .log(LoggingLevel.ERROR, "caravan.ship.import",
                        "file ${header.CamelFilePath} stays where it is, not archived: ${exception.message}");
        String host = getContext().resolvePropertyPlaceholders("{{caravan.host.name}}");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "localhost";
            }
        }
        from(ENDPOINT).routeId("file-import")
                .autoStartup("{{caravan.ship.enabled}}")
                .process(new WholeFileLines(host, 500)).id("file-lines")
                .split(body()).stopOnException().shareUnitOfWork()
                    .to("direct:ship")
                .end()
                .process(new FileArchiver(Path.of(getContext().resolvePropertyPlaceholders("{{caravan.archive.dir}}")),
                        Clock.systemUTC())).id("archive")
                .log(LoggingLevel.INFO, "caravan.ship.import",
                        "imported ${exchangeProperty." + LINES + "} lines of ${header.CamelFilePath}, archived as ${exchangeProperty."
                                + ARCHIVED + "}");
    }
}
