package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class IndexTemplatesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theDefaultPatternMatchesCaravansDailyIndicesAndNoFleetDataStream() throws Exception {
        JsonNode t = JSON.readTree(new IndexTemplates(null, 1, 0, "1s").body());
        assertThat(t.path("index_patterns").get(0).asText()).isEqualTo("logs-*-*-*");
        assertThat(t.path("priority").asInt()).isEqualTo(210);
        assertThat(t.has("data_stream")).isFalse();
        assertThat(globMatches("logs-*-*-*", IndexNames.daily("apache.access", "default", 0))).isTrue();
        // Fleet-style data streams logs-<dataset>-<namespace>: no dashes inside either part.
        assertThat(globMatches("logs-*-*-*", "logs-nginx.access-default")).isFalse();
        assertThat(globMatches("logs-*-*-*", "logs-system.syslog-production")).isFalse();
    }

    @Test
    void anUnsetRefreshKeepsTheEnginesDefault() throws Exception {
        JsonNode settings = JSON.readTree(IndexTemplates.render(1, 0, "")).path("template").path("settings");
        assertThat(settings.has("index.refresh_interval")).isFalse();
        assertThat(settings.path("index.number_of_shards").asInt()).isEqualTo(1);
        assertThat(JSON.readTree(IndexTemplates.render(1, 0, "5s")).path("template").path("settings")
                .path("index.refresh_interval").asText()).isEqualTo("5s");
    }

    @Test
    void patternAndPriorityAreSettings() throws Exception {
        JsonNode t = JSON.readTree(new IndexTemplates(null, 1, 0, "1s", "caravan-*", 77,
                new IndexLifecycle(null, "p", "", "caravan-*", 77)).body());
        assertThat(t.path("index_patterns").get(0).asText()).isEqualTo("caravan-*");
        assertThat(t.path("priority").asInt()).isEqualTo(77);
    }

    @Test
    void dataStreamsAreOptIn() throws Exception {
        IndexLifecycle none = new IndexLifecycle(null, "p", "", "caravan-*", 210);
        assertThat(JSON.readTree(new IndexTemplates(null, 1, 0, "1s", "caravan-*", 210, none).body()).has("data_stream")).isFalse();
        JsonNode t = JSON.readTree(new IndexTemplates(null, 1, 0, "1s", "caravan-*", 210, none, true).body());
        assertThat(t.path("data_stream").isObject()).isTrue();
        assertThat(t.path("index_patterns").get(0).asText()).isEqualTo("caravan-*");
        assertThat(IndexNames.stream("caravan", "Apache Access", "prod")).isEqualTo("caravan-apache_access-prod");
    }

    @Test
    void lifecyclePoliciesDeleteAfterTheRetention() throws Exception {
        IndexLifecycle l = new IndexLifecycle(null, "caravan-logs", "30d", "logs-*-*-*", 210);
        JsonNode ilm = JSON.readTree(l.ilmPolicy());
        assertThat(ilm.at("/policy/phases/delete/min_age").asText()).isEqualTo("30d");
        assertThat(ilm.at("/policy/phases/delete/actions").has("delete")).isTrue();
        JsonNode ism = JSON.readTree(l.ismPolicy());
        assertThat(ism.at("/policy/states/0/transitions/0/conditions/min_index_age").asText()).isEqualTo("30d");
        assertThat(ism.at("/policy/states/1/actions/0").has("delete")).isTrue();
        assertThat(ism.at("/policy/ism_template/0/index_patterns/0").asText()).isEqualTo("logs-*-*-*");
    }

    /** Elasticsearch's simple wildcard match ({@code *} only). */
    private static boolean globMatches(String pattern, String name) {
        return name.matches(pattern.replace(".", "\\.").replace("*", ".*"));
    }
}
