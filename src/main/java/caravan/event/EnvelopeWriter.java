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

/**
 * Writes an {@link Envelope}'s JSON bytes, byte for byte what Jackson's generator writes
 * (EnvelopeJsonTest checks), into a {@link JsonBytes} as the document writer does. One runs per
 * thread and per line shipped, so it keeps what repeats: its buffer, and each of the file's fields
 * as last encoded, since every line of a file carries the same path, host, dataset, source,
 * format and file id, and a batch the same time.
 */
final class EnvelopeWriter {
    private static final int KEEP_BYTES = 64 * 1024;
    /** Longer field values are encoded every time rather than kept. */
    private static final int MEMO_BYTES = 512;

    private static final int M_PATH = 0, M_HOST = 1, M_DATASET = 2, M_CREATED = 3, M_SERVICE = 4, M_SOURCE = 5,
            M_FORMAT = 6, M_FILE_ID = 7;
    private final String[] memoOf = new String[8];
    private final byte[][] memo = new byte[8][];
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

    private void append(Envelope e) {
        JsonBytes o = out;
        o.raw(MESSAGE);
        str(e.message());
        o.raw(PATH);
        field(M_PATH, e.path());
        o.raw(OFFSET);
        o.number(e.offset());
        if (e.truncated()) {
            o.raw(FLAGS);
        }
        o.raw(HOST);
        field(M_HOST, e.host());
        o.raw(DATASET);
        field(M_DATASET, e.dataset());
        o.raw(CREATED);
        field(M_CREATED, e.created());
        if (e.service() != null) {
            o.raw(SERVICE);
            field(M_SERVICE, e.service());
        }
        o.raw(SOURCE);
        field(M_SOURCE, e.source());
        o.raw(FORMAT);
        field(M_FORMAT, e.format());
        o.raw(FILE_ID);
        field(M_FILE_ID, e.fileId());
        if (e.id() != null) {
            o.raw(ID);
            str(e.id());
        }
        o.raw(END);
    }

    private byte[] finish() {
        byte[] json = out.toByteArray();
        if (json.length > KEEP_BYTES) {
            out = new JsonBytes(1024); // a rare huge line does not stay pinned to the thread
        }
        return json;
    }

    /** A string that is usually the one of the line before: its bytes as written then. */
    private void field(int slot, String s) {
        if (s == null) {
            out.raw(NULL);
            return;
        }
        String last = memoOf[slot];
        if (s == last || s.equals(last)) {
            out.raw(memo[slot]);
            return;
        }
        int from = out.size();
        out.string(s);
        boolean keep = out.size() - from <= MEMO_BYTES;
        memoOf[slot] = keep ? s : null;
        memo[slot] = keep ? out.copyFrom(from) : null;
    }

    private void str(String s) {
        if (s == null) {
            out.raw(NULL);
        } else {
            out.string(s);
        }
    }
}
