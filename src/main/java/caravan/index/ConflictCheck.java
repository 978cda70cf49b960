package caravan.index;

import caravan.common.Metrics;
import caravan.common.SafeLog;
import caravan.search.SearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 409 on create is not taken on trust. The id says "this record is already indexed"; the content
 * hash each document carries ({@code caravan.content_hash}) says whether the document under that id
 * is this record. The same hash: an earlier attempt indexed it, done. Another hash: two records share
 * an id (a route naming ids that repeat, a reused file identity): the newcomer goes to the DLQ with
 * the reason, instead of being counted as indexed and lost.
 */
public final class ConflictCheck {
    /** The document field holding the hash of the record's content. */
    public static final String FIELD = "content_hash";
    private static final Logger LOG = LoggerFactory.getLogger(ConflictCheck.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SearchClient client;

    public ConflictCheck(SearchClient client) {
        this.client = client;
    }

    /**
     * Settles the documents whose create got a 409.
     *
     * @param next receives those to send again (the check could not be made now)
     * @return how many are verified as already indexed
     */
    int settle(List<PendingDoc> conflicts, IndexBatch batch, List<PendingDoc> next) {
        if (conflicts.isEmpty()) {
            return 0;
        }
        JsonNode found;
        try {
            found = client.call("POST", "/_mget", request(conflicts)).path("docs");
        } catch (IOException | RuntimeException e) {
            LOG.info("Cannot verify {} document(s) that were already there (409), will send them again: {}",
                    conflicts.size(), SafeLog.escape(String.valueOf(e.getMessage())));
            next.addAll(conflicts);
            return 0;
        }
        int verified = 0;
        for (int i = 0; i < conflicts.size(); i++) {
            PendingDoc doc = conflicts.get(i);
            JsonNode d = found.path(i);
            if (!d.path("found").asBoolean(false)) {
                next.add(doc); // gone since the 409 (an index deleted): create it again
                continue;
            }
            JsonNode hash = d.path("_source").path("caravan").path(FIELD);
            if (hash.isMissingNode() || hash.asText().equals(doc.contentHash())) {
                batch.settled(doc.origin());
                verified++; // the same record; a document from before hashes were kept cannot be told apart
                continue;
            }
            Metrics.elasticsearchErrors("id_collision").increment();
            Metrics.failed("index", doc.dataset()).increment();
            String reason = "document id collision: " + doc.id() + " in " + doc.index() + " holds another record"
                    + " (content hash " + hash.asText() + ", this record " + doc.contentHash() + ")";
            batch.failures().add(new IndexBatch.Failure("index", reason, "id_collision", 409, doc.dataset(),
                    doc.source(), doc.origin()));
            LOG.warn("Record {}: {}", doc.origin().position(), SafeLog.escape(reason));
        }
        return verified;
    }

    static String request(List<PendingDoc> docs) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode arr = body.putArray("docs");
        for (PendingDoc d : docs) {
            ObjectNode o = arr.addObject();
            o.put("_index", d.index());
            o.put("_id", d.id());
            o.putArray("_source").add("caravan." + FIELD);
        }
        return body.toString();
    }
}
