package caravan.ship;

import caravan.ship.tail.TailConstants;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultMessage;

/**
 * A whole file (from camel-file) into batches of lines for {@code direct:ship}: a List of batches,
 * each a List of Messages with the line's byte offset, the way {@code tail:} hands them over.
 *
 * <p>The file identity is a hash of the file's bytes, so a file imported again (after a failure,
 * or dropped twice) gets the same document ids and Elasticsearch keeps one copy of each line.
 * A last line without a newline is shipped too: the file is complete when it is picked up.
 */
public final class WholeFileLines implements Processor {
    private final String host;
    private final int batchLines;

    public WholeFileLines(String host, int batchLines) {
        this.host = host;
        this.batchLines = batchLines;
    }

    @Override
    public void process(Exchange exchange) throws IOException {
        Path file = Path.of(exchange.getMessage().getHeader(Exchange.FILE_PATH, String.class)).toAbsolutePath();
        byte[] bytes = Files.readAllBytes(file);
        Message in = exchange.getMessage();
        in.setHeader(TailConstants.FILE_PATH, file.toString());
        in.setHeader(TailConstants.FILE_ID, identity(bytes));
        in.setHeader(TailConstants.HOST, host);
        if (in.getHeader(TailConstants.SOURCE) == null) {
            in.setHeader(TailConstants.SOURCE, exchange.getFromRouteId());
        }
        List<List<Message>> batches = new ArrayList<>();
        List<Message> batch = new ArrayList<>();
        int start = 0;
        int lines = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || bytes[i] == '\n') {
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                if (end > start) {
                    Message line = new DefaultMessage(exchange);
                    line.setBody(new String(bytes, start, end - start, StandardCharsets.UTF_8));
                    line.setHeader(TailConstants.OFFSET, (long) start);
                    batch.add(line);
                    lines++;
                    if (batch.size() == batchLines) {
                        batches.add(batch);
                        batch = new ArrayList<>();
                    }
                }
                start = i + 1;
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        exchange.setProperty(FileImportRoute.LINES, lines);
        in.setBody(batches);
    }

    static String identity(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
