package caravan.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import caravan.index.IndexLifecycle;
import caravan.index.IndexTemplates;
import caravan.search.SearchClient;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.Set;
import org.apache.camel.health.HealthCheck;
import org.awaitility.Awaitility;
import org.elasticsearch.client.ResponseException;
import org.junit.jupiter.api.Test;

/**
 * Caravan on a cluster it shares: its template installs beside look-alikes of Elasticsearch's
 * built-in {@code logs} template and a Fleet integration template, and captures neither's data; and
 * where the cluster has neither ILM nor ISM (the devstack's node), the daemon prunes expired daily
 * indices on its own schedule.
 */
class SharedClusterIT {

    @Test
    void installsBesideTheBuiltInLogsTemplateAndFleetIntegrations() throws Exception {
        try (Pipeline p = new Pipeline()) {
            SearchClient es = p.esClient();
            // Look-alikes: the built-in (logs-*-*, 100) and an integration's (logs-<dataset>-*, 200), both data streams.
            es.call("PUT", "/_index_template/logs", """
                    {"index_patterns":["logs-*-*"],"priority":100,"data_stream":{},
                     "_meta":{"description":"look-alike of Elasticsearch's built-in logs template"}}""");
            es.call("PUT", "/_index_template/logs-nginx.access", """
                    {"index_patterns":["logs-nginx.access-*"],"priority":200,"data_stream":{},
                     "_meta":{"description":"look-alike of a Fleet integration template"}}""");
            try {
                // What Caravan used to install is refused here: the look-alikes are as strict as the real ones.
                assertThatThrownBy(() -> es.call("PUT", "/_index_template/caravan-old-" + p.id,
                        "{\"index_patterns\":[\"logs-*\"],\"priority\":200}"))
                        .isInstanceOfSatisfying(ResponseException.class, e -> assertThat(
                                e.getResponse().getStatusLine().getStatusCode()).isEqualTo(400))
                        .hasMessageContaining("priority");

                p.produce(p.topic, new Lines("shared-host", "shared-" + p.id).corpusLines(20).records);
                Properties props = p.properties();
                props.setProperty("caravan.ship.enabled", "false");
                props.setProperty("caravan.enrich.useragent.enabled", "false");
                p.start(props);
                p.awaitCount(20, Duration.ofMinutes(1));
                assertThat(p.health()).isEqualTo(HealthCheck.State.UP);
                var mine = es.call("GET", "/_index_template/" + IndexTemplates.NAME, null).path("index_templates").get(0);
                assertThat(mine.at("/index_template/index_patterns/0").asText()).isEqualTo("logs-*-*-*");
                assertThat(es.call("GET", "/_index_template/logs-nginx.access", null).path("index_templates")).hasSize(1);
                // The daily indices got Caravan's template, not the data-stream look-alikes.
                var simulated = es.call("POST", "/_index_template/_simulate_index/logs-apache.access-" + p.namespace
                        + "-2026.12.03", null);
                assertThat(simulated.path("overlapping").toString()).contains("logs");
                assertThat(simulated.path("template").path("settings").path("index").path("codec").asText())
                        .isEqualTo("best_compression");
            } finally {
                es.call("DELETE", "/_index_template/logs-nginx.access", null);
                es.call("DELETE", "/_index_template/logs", null);
            }
        }
    }

    @Test
    void withoutIlmOrIsmTheDaemonPrunesExpiredDailyIndicesOnASchedule() throws Exception {
        try (Pipeline p = new Pipeline()) {
            SearchClient es = p.esClient();
            String prefix = "ret" + p.id;
            String today = LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy.MM.dd"));
            String old = prefix + "-web-" + p.namespace + "-2020.01.01";
            String recent = prefix + "-web-" + p.namespace + "-" + today;
            String other = prefix + "-someone-elses-index";
            for (String name : new String[] {old, recent, other}) {
                es.call("PUT", "/" + name, "{\"settings\":{\"number_of_replicas\":0}}");
            }
            Properties props = p.properties();
            props.setProperty("caravan.ship.enabled", "false");
            props.setProperty("caravan.enrich.useragent.enabled", "false");
            props.setProperty("caravan.index.prefix", prefix);
            props.setProperty("caravan.index.template.pattern", prefix + "-*-*-*");
            props.setProperty("caravan.index.retention", "30d");
            props.setProperty("caravan.index.prune.interval-ms", "1000");
            p.start(props);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !indices(es, prefix).contains(old));
            assertThat(indices(es, prefix)).contains(recent, other);
            IndexLifecycle lifecycle = p.runtime().context().getRegistry().findSingleByType(IndexLifecycle.class);
            assertThat(lifecycle.mode()).isEqualTo(IndexLifecycle.Mode.PRUNE);
            for (String name : new String[] {recent, other}) {
                es.call("DELETE", "/" + name, null);
            }
        }
    }

    private static Set<String> indices(SearchClient es, String prefix) throws Exception {
        Set<String> names = new java.util.HashSet<>();
        es.call("GET", "/_cat/indices/" + prefix + "-*?format=json&h=index", null).forEach(n -> names.add(n.path("index").asText()));
        return names;
    }
}
