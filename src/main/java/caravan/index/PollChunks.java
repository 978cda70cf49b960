package caravan.index;

import caravan.event.Envelope;
import caravan.event.FileFieldsHeader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A Kafka poll into the index route's batches: one origin per envelope, and batches of at most
 * {@code caravan.index.batch.records} envelopes. A record of several lines (Caravan's shipper puts
 * up to {@code caravan.ship.kafka.lines-per-record} in one, {@link Envelope#LINES_HEADER}) gives one
 * origin per line, so each line is parsed, indexed and dead-lettered on its own; a poll of such
 * records holds many times {@code max.poll.records} lines, and a batch of them all would hold as
 * many documents in the window. A record is never cut between two batches: its offset is committed
 * once all its lines are settled ({@link OffsetTracker}).
 */
public final class PollChunks {
    private final int maxLines;

    /** @param maxLines envelopes per batch, at most ({@code caravan.index.batch.records}); one record may exceed it alone */
    public PollChunks(int maxLines) {
        this.maxLines = Math.max(1, maxLines);
    }

    /**
     * The poll's record exchanges as batches of origins, in poll order, each made when the split asks
     * for it: a poll of records of several lines holds many batches, and only the one being parsed
     * needs its lines copied out yet.
     */
    public Iterator<List<RecordOrigin>> chunks(List<?> records) {
        return new Iterator<>() {
            private int next;
            private final List<RecordOrigin> lines = new ArrayList<>();

            @Override
            public boolean hasNext() {
                return !lines.isEmpty() || next < records.size();
            }

            @Override
            public List<RecordOrigin> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<RecordOrigin> chunk = new ArrayList<>(Math.min(maxLines, records.size() - next + lines.size()));
                while (true) {
                    if (lines.isEmpty()) {
                        if (next == records.size()) {
                            return chunk;
                        }
                        lines((Exchange) records.get(next++), lines);
                    }
                    if (!chunk.isEmpty() && chunk.size() + lines.size() > maxLines) {
                        return chunk; // this record's lines start the next batch
                    }
                    chunk.addAll(lines);
                    lines.clear();
                }
            }
        };
    }

    /** One origin per envelope of a batch's elements: origins as they are, polled record exchanges by {@link #lines}. */
    public static List<RecordOrigin> origins(List<?> records) {
        List<RecordOrigin> origins = new ArrayList<>(records.size());
        for (Object o : records) {
            if (o instanceof RecordOrigin r) {
                origins.add(r);
            } else {
                lines((Exchange) o, origins);
            }
        }
        return origins;
    }

    /**
     * The origins of one polled record: itself, or one per line when it holds several envelopes,
     * each made whole by the record's {@link Envelope#FILE_HEADER} when it has one.
     */
    public static void lines(Exchange record, List<RecordOrigin> out) {
        RecordOrigin origin = RecordOrigin.of(record);
        Headers headers = record.getMessage().getHeader(KafkaConstants.HEADERS, Headers.class);
        Header file = headers == null ? null : headers.lastHeader(Envelope.FILE_HEADER);
        if (origin.value() == null || file == null && RecordOrigin.text(headers, Envelope.LINES_HEADER) == null) {
            out.add(origin);
            return;
        }
        split(origin, file == null ? null : file.value(), out);
    }

    /**
     * One origin per line of the record's value (the non-empty ones; JSON escapes every newline
     * inside a string), each its whole envelope; a value of nothing but newlines fails whole. With
     * {@code fileFields} (the {@link Envelope#FILE_HEADER}), a line it cannot make whole goes on with
     * the reason, and fails alone ({@link RecordOrigin#problem}).
     */
    static void split(RecordOrigin origin, byte[] fileFields, List<RecordOrigin> out) {
        FileFieldsHeader header = null;
        String problem = null;
        if (fileFields != null) {
            try {
                header = FileFieldsHeader.read(fileFields);
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        byte[] value = origin.value();
        int k = 0;
        for (int from = 0; from < value.length; ) {
            int nl = from;
            while (nl < value.length && value[nl] != '\n') {
                nl++;
            }
            if (nl > from) {
                out.add(line(origin, k++, value, from, nl, fileFields != null, header, problem));
            }
            from = nl + 1;
        }
        if (k == 0) {
            out.add(origin);
        }
    }

    private static RecordOrigin line(RecordOrigin origin, int k, byte[] value, int from, int to, boolean spliced,
                                     FileFieldsHeader header, String problem) {
        if (!spliced) {
            return origin.line(k, Arrays.copyOfRange(value, from, to));
        }
        if (header != null) {
            try {
                return origin.line(k, header.envelope(value, from, to));
            } catch (IllegalArgumentException e) {
                problem = e.getMessage();
            }
        }
        return origin.unreadableLine(k, Arrays.copyOfRange(value, from, to), problem);
    }
}
