package caravan.event;

import static caravan.event.EnvelopeLayout.END;
import static caravan.event.EnvelopeLayout.FILE_FIELDS;
import static caravan.event.EnvelopeLayout.HOST;
import static caravan.event.EnvelopeLayout.LINE_END;
import static caravan.event.EnvelopeLayout.LINE_OFFSET;
import static caravan.event.EnvelopeLayout.MESSAGE;
import static caravan.event.EnvelopeLayout.OFFSET;

import java.nio.charset.StandardCharsets;

/**
 * A record's {@link Envelope#FILE_HEADER}, read once per record, that makes each of its short lines
 * ({@link Envelope#toShortLines}) the whole envelope again: byte for byte what {@link Envelope#toJson}
 * gives for it, so the indexer's own reader, the dead-letter topic and a replay see an envelope
 * as if the record had carried it.
 *
 * <p>Splicing only moves bytes: the message's JSON is copied, never read. A header or a line not
 * in the shipper's layout is refused with the reason; what the splice gives is still read as
 * JSON afterwards, so a damaged number or flag fails there.
 */
public final class FileFieldsHeader {
    private final byte[] header;
    /** Where the path's JSON ends in the header: {@code header[FILE_FIELDS.length, pathEnd)}. */
    private final int pathEnd;

    private FileFieldsHeader(byte[] header, int pathEnd) {
        this.header = header;
        this.pathEnd = pathEnd;
    }

    /**
     * @throws IllegalArgumentException if the header is not the file fields Caravan's shipper writes
     */
    public static FileFieldsHeader read(byte[] header) {
        if (header == null || !startsWith(header, 0, FILE_FIELDS)) {
            throw refused("does not start with " + text(FILE_FIELDS));
        }
        int end = jsonValueEnd(header, FILE_FIELDS.length);
        if (end < 0 || end >= header.length || header[end] != '}' || !startsWith(header, end + 1, HOST)
                || !endsWith(header, header.length, END)) {
            throw refused("has no path followed by the host and the file's other fields");
        }
        return new FileFieldsHeader(header, end);
    }

    /**
     * The whole envelope of the line in {@code value[from, to)}: its message, the path, its offset
     * and flags, and the file's other fields.
     *
     * @throws IllegalArgumentException if the line is not {@code {"message":...,"log":{"offset":...}}}
     */
    public byte[] envelope(byte[] value, int from, int to) {
        int at = lastIndexOf(value, from, to - LINE_END.length, LINE_OFFSET);
        if (!startsWith(value, from, MESSAGE) || at < from + MESSAGE.length || !endsWith(value, to, LINE_END)) {
            throw new IllegalArgumentException("a line of a record with the " + Envelope.FILE_HEADER
                    + " header is not {\"message\":...,\"log\":{\"offset\":...}}");
        }
        int afterOffset = at + LINE_OFFSET.length; // the offset's digits and any flags, up to the line's end
        int tail = to - LINE_END.length - afterOffset;
        int path = pathEnd - 1; // the header from its '"log"' to the path's end, after a ','
        int rest = header.length - pathEnd - 1; // from the host on
        byte[] out = new byte[at - from + 1 + path + OFFSET.length + tail + rest];
        int n = copy(value, from, at - from, out, 0);
        out[n++] = ',';
        n = copy(header, 1, path, out, n);
        n = copy(OFFSET, 0, OFFSET.length, out, n);
        n = copy(value, afterOffset, tail, out, n);
        copy(header, pathEnd + 1, rest, out, n);
        return out;
    }

    private static int copy(byte[] src, int from, int length, byte[] dst, int at) {
        System.arraycopy(src, from, dst, at, length);
        return at + length;
    }

    /** The end of the JSON string or {@code null} at {@code at}, or -1. */
    private static int jsonValueEnd(byte[] b, int at) {
        if (startsWith(b, at, EnvelopeLayout.NULL)) {
            return at + EnvelopeLayout.NULL.length;
        }
        if (at >= b.length || b[at] != '"') {
            return -1;
        }
        for (int i = at + 1; i < b.length; i++) {
            if (b[i] == '\\') {
                i++;
            } else if (b[i] == '"') {
                return i + 1;
            }
        }
        return -1;
    }

    /** The last start of {@code token} wholly inside {@code b[from, to)}, or -1. */
    private static int lastIndexOf(byte[] b, int from, int to, byte[] token) {
        for (int i = to - token.length; i >= from; i--) {
            if (startsWith(b, i, token)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int at, byte[] token) {
        return at >= 0 && at + token.length <= b.length
                && java.util.Arrays.equals(b, at, at + token.length, token, 0, token.length);
    }

    private static boolean endsWith(byte[] b, int to, byte[] token) {
        return startsWith(b, to - token.length, token);
    }

    private static IllegalArgumentException refused(String why) {
        return new IllegalArgumentException("the " + Envelope.FILE_HEADER + " header " + why);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }
}
