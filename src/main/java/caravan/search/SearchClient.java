package caravan.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.http.entity.ContentType;
import org.apache.http.nio.entity.NStringEntity;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/** The few read-side calls Caravan makes itself: refresh, count, terms aggregations. */
public final class SearchClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final RestClient client;

    public SearchClient(RestClient client) {
        this.client = client;
    }

    public JsonNode call(String method, String path, String body) throws IOException {
        Request r = new Request(method, path);
        if (body != null) {
            r.setEntity(new NStringEntity(body, ContentType.APPLICATION_JSON));
        }
        try {
            return JSON.readTree(client.performRequest(r).getEntity().getContent());
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 404) {
                return JSON.createObjectNode();
            }
            throw e;
        }
    }

    public void refresh(String indices) throws IOException {
        call("POST", "/" + indices + "/_refresh?ignore_unavailable=true&allow_no_indices=true", null);
    }

    /** Documents in the indices, 0 when none exist yet. */
    public long count(String indices) throws IOException {
        JsonNode n = call("GET", "/" + indices + "/_count?ignore_unavailable=true&allow_no_indices=true", null);
        return n.path("count").asLong(0);
    }

    /** Top {@code size} values of a field with their document counts, largest first. */
    public Map<String, Long> terms(String indices, String field, int size) throws IOException {
        String body = "{\"size\":0,\"aggs\":{\"t\":{\"terms\":{\"field\":\"" + field + "\",\"size\":" + size + "}}}}";
        JsonNode n = call("POST", "/" + indices + "/_search?ignore_unavailable=true&allow_no_indices=true", body);
        Map<String, Long> out = new LinkedHashMap<>();
        for (JsonNode b : n.path("aggregations").path("t").path("buckets")) {
            out.put(b.path("key_as_string").asText(b.path("key").asText()), b.path("doc_count").asLong());
        }
        return out;
    }
}
