package caravan.index;

import caravan.search.SearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Retention by the date in Caravan's daily index names ({@link IndexRetention}): lists the indices
 * under the prefix and deletes those whose whole day ended before the cutoff. Other indices, even
 * under the same prefix, are never touched. Used by {@code caravan indices prune} and by the daemon
 * where the cluster has neither ILM nor ISM.
 */
public final class IndexPruner {
    private final SearchClient es;
    private final String prefix;
    private final Pattern daily;

    /** Under the default prefix, {@code logs}. */
    public IndexPruner(SearchClient es) {
        this(es, "logs");
    }

    public IndexPruner(SearchClient es, String prefix) {
        this.es = es;
        this.prefix = prefix;
        this.daily = IndexRetention.daily(prefix);
    }

    /** Every index under the prefix, with "N docs, size" for the listing. */
    public Map<String, String> list() throws IOException {
        JsonNode cat = es.call("GET", "/_cat/indices/" + prefix + "-*?format=json&h=index,docs.count,store.size"
                + "&expand_wildcards=open,closed", null);
        Map<String, String> info = new LinkedHashMap<>();
        for (JsonNode n : cat) {
            info.put(n.path("index").asText(), n.path("docs.count").asText("?") + " docs, " + n.path("store.size").asText("?"));
        }
        return info;
    }

    /** The expired ones among {@code names}, oldest first. */
    public List<String> expired(Iterable<String> names, Instant cutoff) {
        List<String> all = new ArrayList<>();
        names.forEach(all::add);
        return IndexRetention.expired(daily, all, cutoff);
    }

    /** What a prune found: every index under the prefix with its size, and the expired ones. */
    public record Result(Map<String, String> indices, List<String> expired) {
    }

    /** Finds the expired indices and, unless {@code dryRun}, deletes them. */
    public Result prune(Instant cutoff, boolean dryRun) throws IOException {
        Map<String, String> indices = list();
        List<String> expired = expired(indices.keySet(), cutoff);
        if (!dryRun) {
            for (String name : expired) {
                delete(name);
            }
        }
        return new Result(indices, expired);
    }

    public void delete(String index) throws IOException {
        es.call("DELETE", "/" + index, null);
    }
}
