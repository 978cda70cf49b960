package caravan.event;

import static caravan.event.EnvelopeLayout.MESSAGE;
import static caravan.event.EnvelopeLayout.PATH;
import static caravan.event.EnvelopeLayout.OFFSET;
import static caravan.event.EnvelopeLayout.FLAGS;
import static caravan.event.EnvelopeLayout.HOST;
import static caravan.event.EnvelopeLayout.DATASET;
import static caravan.event.EnvelopeLayout.CREATED;
import static caravan.event.EnvelopeLayout.SERVICE;
import static caravan.event.EnvelopeLayout.SOURCE;
import static caravan.event.EnvelopeLayout.FORMAT;
import static caravan.event.EnvelopeLayout.FILE_ID;
import static caravan.event.EnvelopeLayout.ID;
import static caravan.event.EnvelopeLayout.END;
import static caravan.event.EnvelopeLayout.NULL;
import static caravan.event.EnvelopeLayout.LINE_OFFSET;
import static caravan.event.EnvelopeLayout.LINE_END;
import static caravan.event.EnvelopeLayout.FILE_FIELDS;

/**
 * Writes an {@link Envelope}'s JSON bytes, byte for byte what Jackson's generator writes
 * (EnvelopeJsonTest checks), into a {@link JsonBytes} as the document writer does. One runs per
 * thread and per line shipped, so it keeps what repeats: its buffer, and the bytes of the file's
 * fields as last written. Every line of a batch has the same path, and from the host to the end
 * the same bytes (host, dataset, the batch's time, service, source, format, file id): each is one
 * copy per line, not a write per field.
 */
final class EnvelopeWriter {
    private static final int KEEP_BYTES = 64 * 1024;
    /** Longer pieces are written every time rather than kept. */
    private static final int MEMO_BYTES = 1024;

    /** The path the kept path piece ({@code ,"log":{"file":{"path":...},"offset":}) is of. */
    private String piecePath;
    private byte[] pathPiece;
    /** The fields the kept file piece (host to the end, no id) is of, in {@link #sameFileFields}' order. */
    private final String[] pieceFields = new String[7];
    private byte[] filePiece;
    /** The path and fields the kept file fields header is of. */
    private String headerPath;
    private final String[] headerFields = new String[7];
    private byte[] header;
    private JsonBytes out;

    EnvelopeWriter(int capacity) {
        out = new JsonBytes(capacity);
    }

    byte[] write(Envelope e) {
        out.reset();
        append(e);
        return finish();
    }

    /** Envelopes {@code [from, to)} of {@code group}, one per line of the result (no newline after the last). */
    byte[] writeLines(java.util.List<Envelope> group, int from, int to) {
        out.reset();
        for (int i = from; i < to; i++) {
            if (i > from) {
                out.raw((byte) '\n');
            }
            append(group.get(i));
        }
        return finish();
    }

    /**
     * Envelopes {@code [from, to)} of {@code group} without their file's fields, one per line of the
     * result: {@code {"message":...,"log":{"offset":...}}}, and the truncated flag where set. The
     * record's {@link #fileFields} header carries the rest once ({@link FileFieldsHeader} splices).
     */
    byte[] writeShortLines(java.util.List<Envelope> group, int from, int to) {
        out.reset();
        JsonBytes o = out;
        for (int i = from; i < to; i++) {
            Envelope e = group.get(i);
            if (i > from) {
                o.raw((byte) '\n');
            }
            o.raw(MESSAGE);
            str(e.message());
            o.raw(LINE_OFFSET);
            o.number(e.offset());
            if (e.truncated()) {
                o.raw(FLAGS);
            }
            o.raw(LINE_END);
        }
        return finish();
    }

    /**
     * An envelope's file fields, all but its message, offset, flags and id, as JSON:
     * {@code {"log":{"file":{"path":...}},"host":{...},...,"caravan":{...}}}. The same array while the
     * fields stay the same, as they do for every record of one file's batch.
     */
    byte[] fileFields(Envelope e) {
        if (header != null && same(e.path(), headerPath) && sameFileFields(e, headerFields)) {
            return header;
        }
        out.reset();
        out.raw(FILE_FIELDS);
        str(e.path());
        out.raw((byte) '}');
        writeFileFields(e);
        out.raw(END);
        headerPath = e.path();
        keepFileFields(e, headerFields);
        header = out.toByteArray();
        return header;
    }

    private void append(Envelope e) {
        JsonBytes o = out;
        o.raw(MESSAGE);
        str(e.message());
        if (pathPiece != null && same(e.path(), piecePath)) {
            o.raw(pathPiece);
        } else {
            int from = o.size();
            o.raw(PATH);
            str(e.path());
            o.raw(OFFSET);
            piecePath = e.path();
            pathPiece = o.size() - from <= MEMO_BYTES ? o.copyFrom(from) : null;
        }
        o.number(e.offset());
        if (e.truncated()) {
            o.raw(FLAGS);
        }
        if (e.id() != null) {
            writeFileFields(e);
            o.raw(ID);
            str(e.id());
            o.raw(END);
        } else if (filePiece != null && sameFileFields(e, pieceFields)) {
            o.raw(filePiece);
        } else {
            int from = o.size();
            writeFileFields(e);
            o.raw(END);
            keepFileFields(e, pieceFields);
            filePiece = o.size() - from <= MEMO_BYTES ? o.copyFrom(from) : null;
        }
    }

    /** From the host to the file id's value. */
    private void writeFileFields(Envelope e) {
        JsonBytes o = out;
        o.raw(HOST);
        str(e.host());
        o.raw(DATASET);
        str(e.dataset());
        o.raw(CREATED);
        str(e.created());
        if (e.service() != null) {
            o.raw(SERVICE);
            str(e.service());
        }
        o.raw(SOURCE);
        str(e.source());
        o.raw(FORMAT);
        str(e.format());
        o.raw(FILE_ID);
        str(e.fileId());
    }

    /** Are the file fields those kept in {@code k}? The same objects, as a batch's lines have, is the quick answer. */
    private static boolean sameFileFields(Envelope e, String[] k) {
        return same(e.host(), k[0]) && same(e.dataset(), k[1]) && same(e.created(), k[2]) && same(e.service(), k[3])
                && same(e.source(), k[4]) && same(e.format(), k[5]) && same(e.fileId(), k[6]);
    }

    private static void keepFileFields(Envelope e, String[] k) {
        k[0] = e.host();
        k[1] = e.dataset();
        k[2] = e.created();
        k[3] = e.service();
        k[4] = e.source();
        k[5] = e.format();
        k[6] = e.fileId();
    }

    private static boolean same(String a, String b) {
        return a == b || a != null && a.equals(b);
    }

    private byte[] finish() {
        byte[] json = out.toByteArray();
        if (json.length > KEEP_BYTES) {
            out = new JsonBytes(1024); // a rare huge line does not stay pinned to the thread
        }
        return json;
    }

    private void str(String s) {
        if (s == null) {
            out.raw(NULL);
        } else {
            out.string(s);
        }
    }
}
