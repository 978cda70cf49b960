package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The indexer decodes every Kafka record it consumes, from Caravan's shipper or any other producer.
 * The contract under fuzzing: the general reader ({@link Envelope#fromAnyJson}, which
 * {@link Envelope#fromJson} falls back to) throws nothing but {@link IllegalArgumentException} (the
 * record then goes to the dead-letter topic with that reason), and the quick reader of the shipper's
 * own layout ({@link OwnEnvelopeReader}), whenever it accepts the bytes, gives the envelope the
 * general reader gives. It may decline anything; declining is how it hands over.
 *
 * <p>The shipper's writer is fuzzed the other way round: any envelope it writes, of any text and
 * with its file fields kept from the envelope before or not, reads back as itself through both
 * readers: Jackson's parser, and the quick reader wherever it accepts the bytes.
 *
 * <p>A record's short lines and its {@code caravan.file} header ({@link FileFieldsHeader}) are
 * fuzzed both ways too: from any bytes, the splice and the read after it throw nothing but
 * {@link IllegalArgumentException}; and any envelopes written short read back as themselves.
 *
 * <p>The default test run replays the seeds under
 * {@code src/test/resources/caravan/event/EnvelopeFuzzTestInputs/}; {@code bench/fuzz.sh
 * 3m EnvelopeFuzzTest#envelope} (or {@code #written}) fuzzes it.
 */
class EnvelopeFuzzTest {

    @FuzzTest
    void envelope(byte[] data) {
        Object general;
        try {
            general = Envelope.fromAnyJson(data);
        } catch (IllegalArgumentException e) {
            general = IllegalArgumentException.class;
        }
        Envelope own = OwnEnvelopeReader.read(data);
        if (own != null) {
            assertThat(own).isEqualTo(general);
        }
    }

    @FuzzTest
    void written(FuzzedDataProvider data) {
        Envelope before = null;
        for (int k = 0; k < 3 && data.remainingBytes() > 0; k++) {
            Envelope e = new Envelope(data.consumeString(300), field(data, before == null ? null : before.path()),
                    data.consumeLong(), field(data, before == null ? null : before.host()),
                    field(data, before == null ? null : before.dataset()),
                    field(data, before == null ? null : before.created()),
                    field(data, before == null ? null : before.service()),
                    field(data, before == null ? null : before.source()),
                    field(data, before == null ? null : before.format()),
                    field(data, before == null ? null : before.fileId()), data.consumeBoolean(),
                    data.consumeBoolean() ? null : data.consumeString(40));
            byte[] json = e.toJson();
            assertThat(Envelope.fromAnyJson(json)).isEqualTo(e);
            Envelope own = OwnEnvelopeReader.read(json); // it may decline (a 19-digit offset)
            if (own != null) {
                assertThat(own).isEqualTo(e);
            }
            before = e;
        }
    }

    @FuzzTest
    void spliced(FuzzedDataProvider data) {
        byte[] header = data.consumeBytes(data.consumeInt(0, 400));
        byte[] line = data.consumeRemainingAsBytes();
        try {
            Envelope e = Envelope.fromJson(FileFieldsHeader.read(header).envelope(line, 0, line.length));
            assertThat(e.message()).isNotNull();
        } catch (IllegalArgumentException expected) {
            // refused, with the reason, as the dead-letter topic gets it
        }
    }

    @FuzzTest
    void writtenShort(FuzzedDataProvider data) {
        java.util.List<Envelope> group = new java.util.ArrayList<>();
        String path = data.consumeString(200);
        String host = data.consumeBoolean() ? null : data.consumeString(50);
        String service = data.consumeBoolean() ? null : data.consumeString(50);
        while (group.size() < 4 && data.remainingBytes() > 0) {
            group.add(new Envelope(data.consumeString(300), path, data.consumeLong(0, Long.MAX_VALUE), host, "d", "t",
                    service, "s", "combined", "f", data.consumeBoolean()));
        }
        if (group.isEmpty()) {
            return;
        }
        FileFieldsHeader header = FileFieldsHeader.read(Envelope.fileFieldsJson(group.get(0)));
        java.util.List<byte[]> lines = Envelope.lines(Envelope.toShortLines(group, 0, group.size()));
        assertThat(lines).hasSize(group.size());
        for (int i = 0; i < group.size(); i++) {
            byte[] whole = header.envelope(lines.get(i), 0, lines.get(i).length);
            assertThat(whole).isEqualTo(group.get(i).toJson());
        }
    }

    /** A file field: the one before (the same object), an equal copy, null, or new text. */
    private static String field(FuzzedDataProvider data, String before) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> before;
            case 1 -> before == null ? null : new String(before.toCharArray());
            case 2 -> null;
            default -> data.consumeString(600);
        };
    }
}
