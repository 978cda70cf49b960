package caravan.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The indexer decodes every Kafka record it consumes, from Caravan's shipper or any other producer.
 * The contract under fuzzing: the general reader ({@link Envelope#fromAnyJson}, which
 * {@link Envelope#fromJson} falls back to) throws nothing but {@link IllegalArgumentException} (the
 * record then goes to the dead-letter topic with that reason), and the quick reader of the shipper's
 * own layout ({@link OwnEnvelopeReader}), whenever it accepts the bytes, gives the envelope the
 * general reader gives. It may decline anything; declining is how it hands over.
 *
 * <p>The default test run replays the seeds under
 * {@code src/test/resources/caravan/event/EnvelopeFuzzTestInputs/envelope/}; {@code bench/fuzz.sh
 * 3m EnvelopeFuzzTest#envelope} fuzzes it.
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
}
