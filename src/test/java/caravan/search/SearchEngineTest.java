package caravan.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class SearchEngineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    // Shapes of GET / as each engine answers it (fields Caravan reads; others omitted).
    private static final String ES_8 = """
            {"name":"n","cluster_name":"c","version":{"number":"8.19.21","build_flavor":"default"},
             "tagline":"You Know, for Search"}""";
    private static final String OS_2 = """
            {"name":"n","cluster_name":"c","version":{"distribution":"opensearch","number":"2.19.6"},
             "tagline":"The OpenSearch Project: https://opensearch.org/"}""";

    @Test
    void elasticsearchIsKnownByItsProductHeaderOrTagline() throws Exception {
        SearchEngine e = SearchEngine.fromRoot(JSON.readTree(ES_8), "Elasticsearch");
        assertThat(e.product()).isEqualTo(SearchEngine.Product.ELASTICSEARCH);
        assertThat(e.major()).isEqualTo(8);
        assertThat(e.minor()).isEqualTo(19);
        assertThat(e.unsupported()).isNull();
        assertThat(e.lifecycleApi()).isEqualTo("ILM");
        assertThat(e).hasToString("Elasticsearch 8.19.21");
        assertThat(SearchEngine.fromRoot(JSON.readTree(ES_8), null).product()).isEqualTo(SearchEngine.Product.ELASTICSEARCH);
    }

    @Test
    void openSearchNamesItselfInTheVersion() throws Exception {
        SearchEngine e = SearchEngine.fromRoot(JSON.readTree(OS_2), null);
        assertThat(e.product()).isEqualTo(SearchEngine.Product.OPENSEARCH);
        assertThat(e.major()).isEqualTo(2);
        assertThat(e.unsupported()).isNull();
        assertThat(e.lifecycleApi()).isEqualTo("ISM");
    }

    @Test
    void oldVersionsAreRefusedWithOneLine() throws Exception {
        String es7 = ES_8.replace("8.19.21", "7.17.25");
        assertThat(SearchEngine.fromRoot(JSON.readTree(es7), "Elasticsearch").unsupported())
                .isEqualTo("Elasticsearch 7.17.25 is not supported: Caravan runs on Elasticsearch 8.x and 9.x and OpenSearch 2.x and 3.x");
        assertThat(SearchEngine.fromRoot(JSON.readTree(OS_2.replace("2.19.6", "1.3.20")), null).unsupported())
                .startsWith("OpenSearch 1.3.20 is not supported");
    }

    @Test
    void anotherProductIsRefused() throws Exception {
        assertThatThrownBy(() -> SearchEngine.fromRoot(JSON.readTree("{\"status\":\"ok\"}"), null))
                .isInstanceOfSatisfying(SearchRefused.class,
                        r -> assertThat(r.kind()).isEqualTo(SearchRefused.Kind.UNSUPPORTED))
                .hasMessageContaining("not Elasticsearch or OpenSearch");
        // Some other server on the port that mimics the shape but is neither.
        String other = "{\"version\":{\"distribution\":\"solr\",\"number\":\"9.0\"}}";
        assertThatThrownBy(() -> SearchEngine.fromRoot(JSON.readTree(other), null)).isInstanceOf(SearchRefused.class);
    }
}
