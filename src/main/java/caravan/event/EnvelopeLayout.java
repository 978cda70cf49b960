package caravan.event;

import java.nio.charset.StandardCharsets;

/**
 * The bytes between an envelope's values, in the order Caravan's shipper writes them: one
 * definition for {@link EnvelopeWriter}, which writes them, and {@link OwnEnvelopeReader}, which
 * expects them, so that the two cannot drift apart.
 */
final class EnvelopeLayout {
    static final byte[] MESSAGE = ascii("{\"message\":");
    static final byte[] PATH = ascii(",\"log\":{\"file\":{\"path\":");
    static final byte[] OFFSET = ascii("},\"offset\":");
    static final byte[] FLAGS = ascii(",\"flags\":[\"" + Envelope.TRUNCATED_FLAG + "\"]");
    static final byte[] HOST = ascii("},\"host\":{\"name\":");
    static final byte[] DATASET = ascii("},\"event\":{\"dataset\":");
    static final byte[] CREATED = ascii(",\"created\":");
    static final byte[] SERVICE = ascii("},\"service\":{\"name\":");
    static final byte[] SOURCE = ascii("},\"caravan\":{\"source\":");
    static final byte[] FORMAT = ascii(",\"format\":");
    static final byte[] FILE_ID = ascii(",\"file_id\":");
    static final byte[] ID = ascii(",\"id\":");
    static final byte[] END = ascii("}}");
    static final byte[] NULL = ascii("null");
    /** A line of a record whose file fields ride once in its header: {@code {"message":...,"log":{"offset":...}}}. */
    static final byte[] LINE_OFFSET = ascii(",\"log\":{\"offset\":");
    static final byte[] LINE_END = ascii("}}");
    /** That header's start: the envelope without its message and offset, {@code {"log":{"file":{"path":...}},"host":...}}. */
    static final byte[] FILE_FIELDS = ascii("{\"log\":{\"file\":{\"path\":");

    private EnvelopeLayout() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
