package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DlqHeadersTest {
    private static final byte[] ENVELOPE = "{\"message\":\"x\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aFreshFailureCarriesEverythingAndStartsItsHistory() {
        RecordOrigin origin = new RecordOrigin("logs-raw", 2, 1234, "web-1:/var/log/a.log", ENVELOPE, 0, null);
        Headers h = DlqHeaders.build(new DeadLetter(origin, "index", "document_parsing_exception: failed to parse [x]",
                "document_parsing_exception", 400, "apache.access", "apache-access", "2026-11-24T04:05:06.789Z"));
        assertThat(DlqHeaders.read(h)).containsExactly(
                Map.entry(DlqHeaders.REASON, "document_parsing_exception: failed to parse [x]"),
                Map.entry(DlqHeaders.STAGE, "index"),
                Map.entry(DlqHeaders.EXCEPTION, "document_parsing_exception"),
                Map.entry(DlqHeaders.STATUS, "400"),
                Map.entry(DlqHeaders.TOPIC, "logs-raw"),
                Map.entry(DlqHeaders.PARTITION, "2"),
                Map.entry(DlqHeaders.OFFSET, "1234"),
                Map.entry(DlqHeaders.SOURCE, "apache-access"),
                Map.entry(DlqHeaders.DATASET, "apache.access"),
                Map.entry(DlqHeaders.FAILED_AT, "2026-11-24T04:05:06.789Z"),
                Map.entry(DlqHeaders.FIRST_FAILURE, "2026-11-24T04:05:06.789Z"),
                Map.entry(DlqHeaders.REPLAY_COUNT, "0"),
                Map.entry(DlqHeaders.FIRST_POSITION, "logs-raw/2@1234"));
    }

    @Test
    void aReplayedRecordKeepsItsFirstFailureAndCount() {
        RecordOrigin origin = new RecordOrigin("logs-raw", 0, 9, null, ENVELOPE, 2, "2026-11-20T00:00:00Z", "logs-raw/1@3");
        Map<String, String> h = DlqHeaders.read(DlqHeaders.build(new DeadLetter(origin, "parse", "line does not match",
                "caravan.parse.ParseException", 0, "apache.access", null, "2026-11-24T00:00:00Z")));
        assertThat(h).containsEntry(DlqHeaders.FIRST_FAILURE, "2026-11-20T00:00:00Z")
                .containsEntry(DlqHeaders.FAILED_AT, "2026-11-24T00:00:00Z")
                .containsEntry(DlqHeaders.REPLAY_COUNT, "2")
                .containsEntry(DlqHeaders.FIRST_POSITION, "logs-raw/1@3") // the id of its first delivery survives
                .doesNotContainKeys(DlqHeaders.STATUS, DlqHeaders.SOURCE);
    }

    @Test
    void replayCountIsReadLeniently() {
        assertThat(DlqHeaders.replayCount(null)).isZero();
        assertThat(DlqHeaders.replayCount(new RecordHeaders())).isZero();
        assertThat(DlqHeaders.replayCount(with(DlqHeaders.REPLAY_COUNT, "3"))).isEqualTo(3);
        assertThat(DlqHeaders.replayCount(with(DlqHeaders.REPLAY_COUNT, " 4 "))).isEqualTo(4);
        assertThat(DlqHeaders.replayCount(with(DlqHeaders.REPLAY_COUNT, "lots"))).isZero();
        assertThat(DlqHeaders.replayCount(with(DlqHeaders.REPLAY_COUNT, "-1"))).isZero();
    }

    @Test
    void readIgnoresOtherHeaders() {
        RecordHeaders h = with("traceparent", "00-abc");
        h.add(DlqHeaders.header(DlqHeaders.STAGE, "parse"));
        assertThat(DlqHeaders.read(h)).containsOnlyKeys(DlqHeaders.STAGE);
    }

    private static RecordHeaders with(String k, String v) {
        RecordHeaders h = new RecordHeaders();
        h.add(DlqHeaders.header(k, v));
        return h;
    }
}
