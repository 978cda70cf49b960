package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The indexer decodes every Kafka record it consumes, from Caravan's shipper or any other producer.
 * The contract under fuzzing: {@link Envelope#fromJson} throws nothing but
 * {@link IllegalArgumentException} (the record then goes to the dead-letter topic with that reason),
 * and its quick reader of the shipper's own layout ({@link OwnEnvelopeReader}) never disagrees with
 * the general reader: both give the same envelope, or both refuse.
 *
 * <p>The default test run replays the seeds under
 * {@code src/test/resources/caravan/event/EnvelopeFuzzTestInputs/envelope/}; {@code bench/fuzz.sh
 * EnvelopeFuzzTest#envelope} fuzzes it.
 */
class EnvelopeFuzzTest {

    @FuzzTest
    void envelope(byte[] data) {
        Object quick = read(data, true);
        Object general = read(data, false);
        assertThat(quick).isEqualTo(general);
        Envelope own = OwnEnvelopeReader.read(data);
        if (own != null) {
            assertThat(own).isEqualTo(general);
        }
    }

    private static Object read(byte[] data, boolean quick) {
        try {
            return quick ? Envelope.fromJson(data) : Envelope.fromAnyJson(data);
        } catch (IllegalArgumentException e) {
            return IllegalArgumentException.class;
        }
    }
}
