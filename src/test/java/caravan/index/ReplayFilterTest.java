package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.TimeArgs;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayFilterTest {
    private static final Map<String, String> MAPPING = Map.of(
            DlqHeaders.REASON, "document_parsing_exception: [1:20] failed to parse field [user.name] of type [long]",
            DlqHeaders.STAGE, "index",
            DlqHeaders.SOURCE, "apache-access",
            DlqHeaders.FAILED_AT, "2026-11-24T10:00:00Z",
            DlqHeaders.REPLAY_COUNT, "1");
    private static final long TS = Instant.parse("2026-11-24T11:00:00Z").toEpochMilli();

    @Test
    void noCriteriaMatchesEverything() {
        assertThat(ReplayFilter.ALL.matches(MAPPING, TS)).isTrue();
        assertThat(ReplayFilter.ALL.matches(Map.of(), TS)).isTrue();
    }

    @Test
    void eachCriterion() {
        assertThat(filter("Failed To Parse", null, null, null, null).matches(MAPPING, TS)).isTrue();
        assertThat(filter("strict_dynamic", null, null, null, null).matches(MAPPING, TS)).isFalse();
        assertThat(filter(null, "INDEX", null, null, null).matches(MAPPING, TS)).isTrue();
        assertThat(filter(null, "parse", null, null, null).matches(MAPPING, TS)).isFalse();
        assertThat(filter(null, null, null, null, "apache-access").matches(MAPPING, TS)).isTrue();
        assertThat(filter(null, null, null, null, "nginx").matches(MAPPING, TS)).isFalse();
        assertThat(filter(null, null, null, null, "x").matches(Map.of(), TS)).isFalse();
    }

    @Test
    void timeWindowIsByFailureTimeSinceInclusiveUntilExclusive() {
        assertThat(filter(null, null, "2026-11-24T10:00:00Z", null, null).matches(MAPPING, TS)).isTrue();
        assertThat(filter(null, null, "2026-11-24T10:00:01Z", null, null).matches(MAPPING, TS)).isFalse();
        assertThat(filter(null, null, null, "2026-11-24T10:00:00Z", null).matches(MAPPING, TS)).isFalse();
        assertThat(filter(null, null, null, "2026-11-24T10:00:01Z", null).matches(MAPPING, TS)).isTrue();
        // Without the header, the Kafka timestamp (11:00) decides.
        Map<String, String> noTime = new HashMap<>(MAPPING);
        noTime.remove(DlqHeaders.FAILED_AT);
        assertThat(filter(null, null, "2026-11-24T10:30:00Z", null, null).matches(noTime, TS)).isTrue();
        noTime.put(DlqHeaders.FAILED_AT, "garbage");
        assertThat(filter(null, null, "2026-11-24T10:30:00Z", null, null).matches(noTime, TS)).isTrue();
    }

    @Test
    void allCriteriaMustMatch() {
        assertThat(filter("user.name", "index", "2026-11-24", "2026-11-25", "apache-access").matches(MAPPING, TS)).isTrue();
        assertThat(filter("user.name", "parse", "2026-11-24", "2026-11-25", "apache-access").matches(MAPPING, TS)).isFalse();
    }

    @Test
    void decideParksOnlyMatchingRecordsOutOfReplays() {
        assertThat(Replayer.decide(MAPPING, TS, ReplayFilter.ALL, 3)).isEqualTo(Replayer.Action.REPLAY);
        assertThat(Replayer.decide(MAPPING, TS, ReplayFilter.ALL, 1)).isEqualTo(Replayer.Action.PARK);
        assertThat(Replayer.decide(MAPPING, TS, filter(null, "parse", null, null, null), 1)).isEqualTo(Replayer.Action.SKIP);
        assertThat(Replayer.decide(Map.of(), TS, ReplayFilter.ALL, 0)).isEqualTo(Replayer.Action.PARK);
    }

    @Test
    void aReplayedRecordCarriesTheNextCountAndTheFirstFailure() {
        Map<String, String> h = DlqHeaders.read(Replayer.replayHeaders(Map.of(DlqHeaders.REPLAY_COUNT, "1",
                DlqHeaders.FIRST_FAILURE, "2026-11-20T00:00:00Z", DlqHeaders.FAILED_AT, "2026-11-24T00:00:00Z")));
        assertThat(h).containsExactly(Map.entry(DlqHeaders.REPLAY_COUNT, "2"),
                Map.entry(DlqHeaders.FIRST_FAILURE, "2026-11-20T00:00:00Z"));
        assertThat(DlqHeaders.read(Replayer.replayHeaders(Map.of(DlqHeaders.FAILED_AT, "2026-11-24T00:00:00Z"))))
                .containsEntry(DlqHeaders.REPLAY_COUNT, "1").containsEntry(DlqHeaders.FIRST_FAILURE, "2026-11-24T00:00:00Z");
    }

    private static ReplayFilter filter(String reason, String stage, String since, String until, String source) {
        Instant now = Instant.parse("2026-11-24T12:00:00Z");
        return new ReplayFilter(reason, stage, since == null ? null : TimeArgs.instant(since, now),
                until == null ? null : TimeArgs.instant(until, now), source);
    }
}
