package caravan.event;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The deterministic document id: a hash of (host, file identity, offset).
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
        MessageDigest md = SHA256.get();
        md.reset();
        md.update(bytes(host));
        md.update((byte) 0);
        md.update(bytes(fileId));
        md.update((byte) 0);
        for (int i = 7; i >= 0; i--) {
            md.update((byte) (offset >>> (8 * i)));
        }
        byte[] full = md.digest();
        byte[] id = new byte[16];
        System.arraycopy(full, 0, id, 0, 16);
        return B64.encodeToString(id);
    }

    private static byte[] bytes(String s) {
        return (s == null ? "" : s).getBytes(StandardCharsets.UTF_8);
    }
}
