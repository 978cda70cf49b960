package caravan.index;

import caravan.search.SearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Retention by the day in the index name: deletes the {@code logs-*} indices whose day ended before
 * a cutoff ({@code caravan indices prune}, and the daemon's scheduled prune).
 */
public final class IndexPruner {
    private final SearchClient es;

    public IndexPruner(SearchClient es) {
        this.es = es;
    }

    /** What a prune found: every logs-* index with its size, and the expired ones (deleted unless a dry run). */
    public record Result(Map<String, String> indices, List<String> expired) {
    }

    public Result prune(Instant cutoff, boolean dryRun) throws IOException {
        JsonNode cat = es.call("GET", "/_cat/indices/logs-*?format=json&h=index,docs.count,store.size"
                + "&expand_wildcards=open,closed", null);
        Map<String, String> info = new LinkedHashMap<>();
        for (JsonNode n : cat) {
            info.put(n.path("index").asText(), n.path("docs.count").asText("?") + " docs, " + n.path("store.size").asText("?"));
        }
        List<String> expired = IndexRetention.expired(new ArrayList<>(info.keySet()), cutoff);
        if (!dryRun) {
            for (String name : expired) {
                es.call("DELETE", "/" + name, null);
            }
        }
        return new Result(info, expired);
    }
}
