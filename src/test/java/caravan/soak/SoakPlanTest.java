package caravan.soak;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.soak.SoakPlan.Fault;
import caravan.soak.SoakPlan.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakPlanTest {

    @Test
    void theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        SoakConfig c = SoakConfig.full();
        assertThat(SoakPlan.of(c, 42)).isEqualTo(SoakPlan.of(c, 42));
        assertThat(SoakPlan.of(c, 42).faults()).isNotEqualTo(SoakPlan.of(c, 43).faults());
    }

    @Test
    void theFullPlanHasEveryFaultTheIssueAsksForWhileLinesAreWritten() {
        SoakConfig c = SoakConfig.full();
        List<Fault> faults = SoakPlan.of(c, 7).faults();
        assertThat(faults.stream().filter(f -> f.kind() == Kind.KILL_SHIPPER)).hasSize(10);
        assertThat(faults.stream().filter(f -> f.kind() == Kind.KILL_INDEXER)).hasSize(10);
        assertThat(faults.stream().filter(f -> f.kind() == Kind.TERM_INDEXER)).hasSize(2);
        assertThat(faults).filteredOn(f -> f.kind() == Kind.STOP_ELASTICSEARCH).singleElement()
                .extracting(Fault::holdMs).isEqualTo(30_000L);
        assertThat(faults).filteredOn(f -> f.kind() == Kind.STOP_KAFKA).singleElement()
                .extracting(Fault::holdMs).isEqualTo(20_000L);
        assertThat(faults).filteredOn(f -> f.kind() == Kind.THROTTLE_429).singleElement()
                .extracting(Fault::holdMs).isEqualTo(60_000L);
        assertThat(faults).allSatisfy(f -> assertThat(f.atMs()).isBetween(c.writeMillis() / 10, c.writeMillis()));
        assertThat(faults).filteredOn(f -> f.kind() == Kind.KILL_INDEXER || f.kind() == Kind.TERM_INDEXER)
                .allSatisfy(f -> assertThat(f.target()).isBetween(0, c.indexers() - 1));
        assertThat(faults).filteredOn(f -> f.kind().name().endsWith("_SHIPPER") || f.kind().name().endsWith("_INDEXER"))
                .allSatisfy(f -> assertThat(f.holdMs()).isBetween(0L, 10_000L));
        assertThat(faults).isSortedAccordingTo(java.util.Comparator.comparingLong(Fault::atMs));
    }

    @Test
    void theReducedPlanHasThreeKillsOfEachKindOneEsStopAndOneRebalance() {
        List<Fault> faults = SoakPlan.of(SoakConfig.reduced(), 7).faults();
        assertThat(faults).extracting(Fault::kind).filteredOn(k -> k == Kind.KILL_SHIPPER).hasSize(3);
        assertThat(faults).extracting(Fault::kind).filteredOn(k -> k == Kind.KILL_INDEXER).hasSize(3);
        assertThat(faults).extracting(Fault::kind).filteredOn(k -> k == Kind.TERM_INDEXER).hasSize(1);
        assertThat(faults).extracting(Fault::kind).filteredOn(k -> k == Kind.STOP_ELASTICSEARCH).hasSize(1);
        assertThat(faults).extracting(Fault::kind).doesNotContain(Kind.STOP_KAFKA, Kind.THROTTLE_429);
    }
}
