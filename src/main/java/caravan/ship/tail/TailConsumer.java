package caravan.ship.tail;

import caravan.ship.ShipHeaders;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ExecutorService;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;

/**
 * A minimal follower: one file, complete lines only, in order; an offset that advances only after
 * the route has processed the line (which, in the ship route, means Kafka acknowledged it).
 */
public class TailConsumer extends DefaultConsumer {
    private final TailEndpoint endpoint;
    private ExecutorService executor;
    private volatile boolean running;

    public TailConsumer(TailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "tail-" + endpoint.getPath());
        executor.submit(this::follow);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (executor != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownGraceful(executor);
        }
        super.doStop();
    }

    private void follow() {
        Path file = Path.of(endpoint.getPath());
        String host = endpoint.getHost() != null ? endpoint.getHost() : hostName();
        Path checkpoint = Path.of(endpoint.getCheckpointDir()).resolve(
                Integer.toHexString(endpoint.getPath().hashCode()) + ".offset");
        long offset = readCheckpoint(checkpoint);
        byte[] buf = new byte[64 * 1024];
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream(512);
        while (running) {
            try {
                if (!Files.exists(file)) {
                    Thread.sleep(endpoint.getPollDelay());
                    continue;
                }
                BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
                String fileId = String.valueOf(attrs.fileKey());
                try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                    if (offset < 0) {
                        offset = "end".equals(endpoint.getStartPosition()) ? raf.length() : 0;
                    }
                    if (raf.length() < offset) {
                        offset = 0; // truncated
                    }
                    raf.seek(offset);
                    long lineStart = offset;
                    long pos = offset;
                    int n;
                    line.reset();
                    while (running && (n = raf.read(buf)) > 0) {
                        for (int i = 0; i < n; i++) {
                            byte b = buf[i];
                            pos++;
                            if (b == '\n') {
                                emit(line.toString(StandardCharsets.UTF_8), lineStart, fileId, host);
                                line.reset();
                                lineStart = pos;
                                offset = pos;
                                writeCheckpoint(checkpoint, offset);
                            } else if (b != '\r') {
                                line.write(b);
                            }
                        }
                    }
                }
                Thread.sleep(endpoint.getPollDelay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                getExceptionHandler().handleException("Tailing " + file + " failed; retrying", e);
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private void emit(String text, long lineOffset, String fileId, String host) throws Exception {
        Exchange exchange = createExchange(false);
        try {
            exchange.getMessage().setBody(text);
            exchange.getMessage().setHeader(ShipHeaders.FILE_PATH, endpoint.getPath());
            exchange.getMessage().setHeader(ShipHeaders.OFFSET, lineOffset);
            exchange.getMessage().setHeader(ShipHeaders.FILE_ID, fileId);
            exchange.getMessage().setHeader(ShipHeaders.FORMAT, endpoint.getFormat());
            exchange.getMessage().setHeader(ShipHeaders.SERVICE, endpoint.getService());
            exchange.getMessage().setHeader(ShipHeaders.DATASET, endpoint.getDataset());
            exchange.getMessage().setHeader(ShipHeaders.HOST, host);
            exchange.getMessage().setHeader(ShipHeaders.SOURCE, getRouteId());
            getProcessor().process(exchange);
            if (exchange.getException() != null) {
                throw exchange.getException();
            }
        } finally {
            releaseExchange(exchange, false);
        }
    }

    private static long readCheckpoint(Path p) {
        try {
            return Files.exists(p) ? Long.parseLong(Files.readString(p).trim()) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static void writeCheckpoint(Path p, long offset) throws IOException {
        Files.createDirectories(p.getParent());
        Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
        Files.writeString(tmp, Long.toString(offset));
        Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
