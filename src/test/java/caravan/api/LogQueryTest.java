package caravan.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LogQueryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");

    private static final QueryLimits LIMITS = new QueryLimits(false, 20, "10s", 500_000);

    private static JsonNode body(String query) throws Exception {
        return JSON.readTree(LogQuery.body(new Params(query, LogQuery.PARAMS), NOW, 1000, LIMITS));
    }

    @Test
    void everySearchIsBounded() throws Exception {
        JsonNode b = body("q=message%3A*admin");
        assertThat(b.path("timeout").asText()).isEqualTo("10s");
        assertThat(b.path("terminate_after").asLong()).isEqualTo(500_000);
        assertThat(b.path("query").path("bool").path("filter").get(0).path("query_string")
                .path("allow_leading_wildcard").asBoolean(true)).isFalse();
        JsonNode open = JSON.readTree(LogQuery.body(new Params("q=x", LogQuery.PARAMS), NOW, 1000,
                new QueryLimits(true, 20, "2s", 0)));
        assertThat(open.has("terminate_after")).isFalse();
        assertThat(open.toString()).contains("\"allow_leading_wildcard\":true").contains("\"timeout\":\"2s\"");
    }

    @Test
    void aLongRegularExpressionIsRefused() throws Exception {
        assertThat(body("q=url.path%3A%2F" + "a".repeat(20) + "%2F").toString()).contains("query_string");
        assertThatThrownBy(() -> body("q=url.path%3A%2F" + "(a%2B)%2B".repeat(10) + "%2F"))
                .isInstanceOf(BadRequest.class).hasMessageContaining("caravan.api.max-regex-length (20)");
        assertThatThrownBy(() -> body("q=%2F" + "a".repeat(30))).isInstanceOf(BadRequest.class);
        // A lone slash in a path is no regex to bound.
        assertThat(body("q=url.path%3A%2Fapi*").toString()).contains("url.path:/api*");
    }

    @Test
    void aCutSearchSaysItIsPartial() throws Exception {
        JsonNode es = JSON.readTree("{\"timed_out\":true,\"hits\":{\"total\":{\"value\":1},\"hits\":[]}}");
        assertThat(LogQuery.response(es, 2).path("partial").asBoolean()).isTrue();
        JsonNode whole = JSON.readTree("{\"timed_out\":false,\"hits\":{\"total\":{\"value\":1},\"hits\":[]}}");
        assertThat(LogQuery.response(whole, 2).path("partial").asBoolean()).isFalse();
    }

    @Test
    void filtersTimeRangeAndQueryString() throws Exception {
        JsonNode b = body("q=url.path%3A%2Fapi*&from=2h&to=2026-11-24T11:30:00Z&status=500,503&ip=10.0.0.1&size=50");
        JsonNode f = b.path("query").path("bool").path("filter");
        assertThat(f.toString()).contains("{\"range\":{\"@timestamp\":{\"gte\":\"2026-11-24T10:00:00Z\",\"lt\":\"2026-11-24T11:30:00Z\"}}}")
                .contains("\"query\":\"url.path:/api*\"")
                .contains("{\"terms\":{\"http.response.status_code\":[\"500\",\"503\"]}}")
                .contains("{\"terms\":{\"source.ip\":[\"10.0.0.1\"]}}");
        assertThat(b.path("size").asInt()).isEqualTo(50);
        assertThat(b.path("from").asInt()).isZero();
        assertThat(b.path("sort").get(0).path("@timestamp").asText()).isEqualTo("desc");
    }

    @Test
    void theCursorOfOneResponseIsTheSearchAfterOfTheNext() throws Exception {
        JsonNode es = JSON.readTree("""
            {"hits":{"total":{"value":3,"relation":"eq"},"hits":[
              {"_id":"a","_index":"i","_source":{},"sort":[3,"f",30]},{"_id":"b","_index":"i","_source":{},"sort":[2,"f",20]}]}}""");
        JsonNode page = LogQuery.response(es, 2);
        assertThat(page.path("total").asLong()).isEqualTo(3);
        String next = page.path("next").asText();
        assertThat(body("search_after=" + next + "&size=2").path("search_after").toString()).isEqualTo("[2,\"f\",20]");
        assertThat(LogQuery.response(es, 5).has("next")).isFalse(); // a short page is the last one
    }

    @Test
    void badParametersAreClientErrors() {
        assertThatThrownBy(() -> body("status=5xx")).isInstanceOf(BadRequest.class).hasMessageContaining("'status'");
        assertThatThrownBy(() -> body("size=1001")).isInstanceOf(BadRequest.class).hasMessageContaining("out of range (0 to 1000)");
        assertThatThrownBy(() -> body("stauts=500")).isInstanceOf(BadRequest.class).hasMessageContaining("unknown parameter 'stauts'");
        assertThatThrownBy(() -> body("size=1&size=2")).isInstanceOf(BadRequest.class).hasMessageContaining("given twice");
        assertThatThrownBy(() -> body("from=1h&to=2h")).isInstanceOf(BadRequest.class).hasMessageContaining("must be before");
        assertThatThrownBy(() -> body("offset=10&search_after=x")).isInstanceOf(BadRequest.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> body("search_after=W10")).isInstanceOf(BadRequest.class).hasMessageContaining("cursor");
        assertThatThrownBy(() -> body("bot=maybe")).isInstanceOf(BadRequest.class).hasMessageContaining("true or false");
        assertThatThrownBy(() -> body("ip=%zz")).isInstanceOf(BadRequest.class).hasMessageContaining("malformed");
    }
}
