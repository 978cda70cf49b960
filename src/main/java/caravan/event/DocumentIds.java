package caravan.event;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The deterministic document id: a hash of (host, file identity, offset), or, for a record with no
 * file position, of its place in Kafka (see {@link #ofRecord}).
 *
 * <p>The same line shipped twice, by a retry, a replay or a restart before its checkpoint, gets the
 * same id, so Elasticsearch keeps one document. The offset is the line's byte offset in the file
 * identified by the tailer's file identity (which survives renames), so two different lines can
 * share an id only if they are the same bytes in the same file.
 *
 * <p>SHA-256 truncated to 128 bits, base64url: 22 characters, collision-free in practice, and
 * short ids keep the terms index small.
 */
public final class DocumentIds {
    private static final ThreadLocal<Hasher> HASHERS = ThreadLocal.withInitial(Hasher::new);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private DocumentIds() {
    }

    /**
     * This thread's hasher, for a caller that makes many ids in a row: a render pass takes it once per
     * batch, since a thread-local lookup per document showed in the index thread's profile.
     */
    public static Hasher hasher() {
        return HASHERS.get();
    }

    public static String of(String host, String fileId, long offset) {
        return hasher().of(host, fileId, offset);
    }

    /**
     * The id of a record that carries no file position (a {@code timer:}, {@code file:} or
     * {@code kafka:} source, another shipper's output): where it sits in Kafka, as
     * kafka-connect-elasticsearch does. Unique per record, and the same on every re-read of it.
     */
    public static String ofRecord(String position) {
        return hasher().ofRecord(position);
    }

    /**
     * What a record says, as a hash kept in its document: a 409 on its id is checked against it
     * (the same record indexed before, or another record under the same id).
     */
    public static String content(String message, String host, String path) {
        return hasher().content(message, host, path);
    }

    /** An id a route named itself (a header): hashed to the same shape, so any text can be one. */
    public static String ofName(String name) {
        return hasher().ofName(name);
    }

    /** The ids and hashes above on one digest; for the thread that took it ({@link #hasher()}) only. */
    public static final class Hasher {
        /** A buffer that grew past this for a long line goes back to its first size after the hash. */
        private static final int KEEP = 64 * 1024;
        private final MessageDigest md;
        // Reused per id: the digest, its first half, and the base64 text; only the id string is new.
        private final byte[] digest = new byte[32];
        private final byte[] half = new byte[16];
        private final byte[] text = new byte[22];
        // The whole input, hashed in one update: a call per byte and per part was over a quarter of a hash's time.
        private byte[] input = new byte[512];
        private int length;

        private Hasher() {
            try {
                md = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
            }
        }

        public String of(String host, String fileId, long offset) {
            start(host, fileId);
            return finish(offset);
        }

        public String ofRecord(String position) {
            return of("kafka", position, 0);
        }

        public String ofName(String name) {
            return of("name", name, 0);
        }

        public String content(String message, String host, String path) {
            // The bytes of of(host, path + NUL + message, 0), without building that string per record.
            start(host, String.valueOf(path));
            append((byte) 0);
            append(String.valueOf(message));
            return finish(0);
        }

        /** Starts the input with {@code host NUL first}: the start every id and content hash shares. */
        private void start(String host, String first) {
            length = 0;
            append(host);
            append((byte) 0);
            append(first);
        }

        /** Ends the input with {@code NUL} and the offset's eight bytes, big-endian; the first 128 bits of its hash, base64url. */
        private String finish(long offset) {
            room(9);
            input[length++] = 0;
            for (int i = 7; i >= 0; i--) {
                input[length++] = (byte) (offset >>> (8 * i));
            }
            md.update(input, 0, length);
            if (input.length > KEEP) {
                input = new byte[512];
            }
            try {
                md.digest(digest, 0, digest.length);
            } catch (DigestException e) {
                throw new IllegalStateException("SHA-256 gives 32 bytes", e);
            }
            System.arraycopy(digest, 0, half, 0, half.length);
            return new String(text, 0, B64.encode(half, text), StandardCharsets.ISO_8859_1);
        }

        private void append(String s) {
            byte[] b = (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
            room(b.length);
            System.arraycopy(b, 0, input, length, b.length);
            length += b.length;
        }

        private void append(byte b) {
            room(1);
            input[length++] = b;
        }

        private void room(int more) {
            if (length + more > input.length) {
                input = java.util.Arrays.copyOf(input, Math.max(2 * input.length, length + more));
            }
        }
    }
}
