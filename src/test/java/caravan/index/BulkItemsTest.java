package caravan.index;

import static caravan.index.BulkItems.Outcome.ALREADY_INDEXED;
import static caravan.index.BulkItems.Outcome.CREATED;
import static caravan.index.BulkItems.Outcome.REJECT;
import static caravan.index.BulkItems.Outcome.RETRY;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BulkItemsTest {

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
            "201, null, CREATED",
            "200, null, CREATED",
            "409, version_conflict_engine_exception, ALREADY_INDEXED",
            "409, null, ALREADY_INDEXED",
            "429, es_rejected_execution_exception, RETRY",
            "429, circuit_breaking_exception, RETRY",
            "500, null, RETRY",
            "503, unavailable_shards_exception, RETRY",
            "408, null, RETRY",
            "403, cluster_block_exception, RETRY",
            "400, document_parsing_exception, REJECT",
            "400, mapper_parsing_exception, REJECT",
            "400, strict_dynamic_mapping_exception, REJECT",
            "400, illegal_argument_exception, REJECT",
            "400, invalid_index_name_exception, REJECT",
            "404, index_not_found_exception, REJECT",
            "409, some_other_conflict, REJECT",
    })
    void classifiesEachItemByItsOwnStatus(int status, String type, BulkItems.Outcome expected) {
        assertThat(BulkItems.classify(status, type)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"201", "409"})
    void doneOutcomesNeverReachTheDlq(int status) {
        assertThat(BulkItems.classify(status, status == 409 ? "version_conflict_engine_exception" : null))
                .isIn(CREATED, ALREADY_INDEXED).isNotIn(RETRY, REJECT);
    }
}
