package caravan.event;

import java.nio.charset.StandardCharsets;
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
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    });
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private DocumentIds() {
    }

    public static String of(String host, String fileId, long offset) {
        MessageDigest md = start(host, fileId);
        return finish(md, offset);
    }

    /** Hashes {@code host NUL first NUL}: the start every id and content hash shares. */
    private static MessageDigest start(String host, String first) {
        MessageDigest md = SHA256.get();
        md.reset();
        md.update(bytes(host));
        md.update((byte) 0);
        md.update(bytes(first));
        return md;
    }

    /** Hashes {@code NUL} and the offset's eight bytes, big-endian; the first 128 bits, base64url. */
    private static String finish(MessageDigest md, long offset) {
        md.update((byte) 0);
        for (int i = 7; i >= 0; i--) {
            md.update((byte) (offset >>> (8 * i)));
        }
        byte[] full = md.digest();
        return B64.encodeToString(java.util.Arrays.copyOf(full, 16));
    }

    /**
     * The id of a record that carries no file position (a {@code timer:}, {@code file:} or
     * {@code kafka:} source, another shipper's output): where it sits in Kafka, as
     * kafka-connect-elasticsearch does. Unique per record, and the same on every re-read of it.
     */
    public static String ofRecord(String position) {
        return of("kafka", position, 0);
    }

    /**
     * What a record says, as a hash kept in its document: a 409 on its id is checked against it
     * (the same record indexed before, or another record under the same id).
     */
    public static String content(String message, String host, String path) {
        // The bytes of of(host, path + NUL + message, 0), without building that string per record.
        MessageDigest md = start(host, String.valueOf(path));
        md.update((byte) 0);
        md.update(bytes(String.valueOf(message)));
        return finish(md, 0);
    }

    /** An id a route named itself (a header): hashed to the same shape, so any text can be one. */
    public static String ofName(String name) {
        return of("name", name, 0);
    }

    private static byte[] bytes(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
