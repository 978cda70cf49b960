package caravan.search;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.http.entity.AbstractHttpEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.ContentEncoder;
import org.apache.http.nio.IOControl;
import org.apache.http.nio.entity.HttpAsyncContentProducer;

/**
 * A {@code _bulk} request body sent from the documents' own arrays: per document its action line,
 * the document, a newline. Never one array of the whole body: a body of a thousand documents is
 * over a megabyte, which with the indexer's small heap is a humongous object for G1, allocated in
 * the old generation and starting a concurrent cycle per request; and copying every document into it
 * cost a second copy of each. Repeatable, so a retry on another node sends it again.
 *
 * <p>The async client takes it as its own content producer: the pieces are gathered into one
 * chunk of up to {@link #CHUNK} bytes per socket write. Read as a plain entity, the client pulled
 * 4 KiB per turn of its I/O loop, which cost its thread 1.5 to 4.5 times the CPU per request
 * (BENCHMARKS.md, "The bulk body's writes").
 */
final class BulkBody extends AbstractHttpEntity implements HttpAsyncContentProducer {
    /** Bytes per write to the socket; larger than the client's fragment hint (8 KiB), so it skips its buffer. */
    static final int CHUNK = 64 * 1024;
    private static final byte[] CREATE = "{\"create\":{\"_index\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ID = "\",\"_id\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACTION_END = "\"}}\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NEWLINE = {'\n'};

    /** Action line, document, newline: three pieces per document, in order. */
    private final byte[][] pieces;
    private final long length;
    /** Where the producer is: the rest of the body, and the chunk being written. */
    private Pieces rest;
    private ByteBuffer chunk;

    BulkBody(List<Bulk.Create> docs, ContentType type) {
        setContentType(type.toString());
        pieces = new byte[docs.size() * 3][];
        long n = 0;
        String lastIndex = null;
        byte[] lastAction = null;
        for (int i = 0; i < docs.size(); i++) {
            Bulk.Create d = docs.get(i);
            if (!d.index().equals(lastIndex)) { // a run of documents for one index encodes its name once
                lastIndex = d.index();
                lastAction = d.index().getBytes(StandardCharsets.UTF_8);
            }
            pieces[3 * i] = action(lastAction, d.id().getBytes(StandardCharsets.UTF_8));
            pieces[3 * i + 1] = d.json();
            pieces[3 * i + 2] = NEWLINE;
            n += pieces[3 * i].length + d.json().length + 1;
        }
        length = n;
    }

    /** {@code {"create":{"_index":"<index>","_id":"<id>"}}} and a newline: names and ids need no escape. */
    private static byte[] action(byte[] index, byte[] id) {
        byte[] a = new byte[CREATE.length + index.length + ID.length + id.length + ACTION_END.length];
        int p = put(a, 0, CREATE);
        p = put(a, p, index);
        p = put(a, p, ID);
        p = put(a, p, id);
        put(a, p, ACTION_END);
        return a;
    }

    private static int put(byte[] out, int at, byte[] b) {
        System.arraycopy(b, 0, out, at, b.length);
        return at + b.length;
    }

    @Override
    public boolean isRepeatable() {
        return true;
    }

    @Override
    public long getContentLength() {
        return length;
    }

    @Override
    public boolean isStreaming() {
        return false;
    }

    @Override
    public void writeTo(OutputStream out) throws IOException {
        for (byte[] p : pieces) {
            out.write(p);
        }
    }

    @Override
    public void produceContent(ContentEncoder encoder, IOControl io) throws IOException {
        while (true) {
            if ((chunk == null || !chunk.hasRemaining()) && !fill()) {
                encoder.complete();
                return;
            }
            encoder.write(chunk);
            if (chunk.hasRemaining()) {
                return; // the socket is full: the client calls again when it can take more
            }
        }
    }

    /** The next chunk of the body; false when all of it is written. */
    private boolean fill() {
        if (chunk == null) {
            chunk = ByteBuffer.allocate((int) Math.min(CHUNK, Math.max(1, length)));
            rest = new Pieces();
        }
        int n = rest.read(chunk.array(), 0, chunk.capacity());
        chunk.clear().limit(Math.max(n, 0));
        return n > 0;
    }

    /** Called after each attempt: a retry starts again from the first piece. */
    @Override
    public void close() {
        rest = null;
        chunk = null;
    }

    /** The body as a stream over the pieces (for a client that reads entities as streams). */
    @Override
    public InputStream getContent() {
        return new Pieces();
    }

    /** A stream over the pieces, without checked exceptions: it reads from memory. */
    private final class Pieces extends InputStream {
        private int piece;
        private int at;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            int n = 0;
            while (n < len && piece < pieces.length) {
                byte[] p = pieces[piece];
                int k = Math.min(len - n, p.length - at);
                System.arraycopy(p, at, b, off + n, k);
                n += k;
                at += k;
                if (at == p.length) {
                    piece++;
                    at = 0;
                }
            }
            return n == 0 ? -1 : n;
        }
    }
}
