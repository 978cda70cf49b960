package caravan.alert;

import caravan.search.SearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.elasticsearch.client.ResponseException;

/**
 * Who evaluates the rules this interval: one document in the leases index, taken with Elasticsearch's
 * optimistic concurrency ({@code if_seq_no} + {@code if_primary_term}). Two processes that read the
 * same expired lease both try to write it; Elasticsearch accepts the first write and answers 409 to
 * the second, so exactly one wins. The holder renews it every run; if it dies, the lease expires
 * after its TTL and another process takes over, continuing from {@code evaluated_until}.
 *
 * <p>Why not Kafka's group coordination or a lock service: the analyser already depends on
 * Elasticsearch and on nothing else, and a TTL lease needs no extra server. Clocks of the processes
 * must roughly agree (NTP); skew shorter than the TTL only delays a takeover.
 */
public final class Lease {
    private final SearchClient es;
    private final String index;
    private final String name;
    private final String owner;
    private final Duration ttl;
    private final Clock clock;
    private Instant evaluatedUntil;

    public Lease(SearchClient es, String index, String name, String owner, Duration ttl, Clock clock) {
        this.es = es;
        this.index = index;
        this.name = name;
        this.owner = owner;
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * Takes or renews the lease. True when this process holds it until now + TTL; then
     * {@link #evaluatedUntil()} says where the previous holder stopped.
     */
    public boolean acquire() throws IOException {
        Instant now = clock.instant();
        JsonNode doc = es.call("GET", "/" + index + "/_doc/" + name, null);
        try {
            if (!doc.path("found").asBoolean(false)) {
                es.call("PUT", "/" + index + "/_create/" + name + "?refresh=true", body(now, null));
                evaluatedUntil = null;
                return true;
            }
            JsonNode src = doc.path("_source");
            boolean mine = owner.equals(src.path("owner").asText());
            boolean expired = !Instant.parse(src.path("expires").asText()).isAfter(now);
            if (!mine && !expired) {
                return false;
            }
            Instant until = src.hasNonNull("evaluated_until") ? Instant.parse(src.path("evaluated_until").asText()) : null;
            es.call("PUT", "/" + index + "/_doc/" + name + "?refresh=true&if_seq_no=" + doc.path("_seq_no").asLong()
                    + "&if_primary_term=" + doc.path("_primary_term").asLong(), body(now, until));
            evaluatedUntil = until;
            return true;
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 409) {
                return false; // another process wrote first: it holds the lease
            }
            throw e;
        }
    }

    /** Records how far the evaluation got; only the holder calls this, right after a successful acquire. */
    public boolean advance(Instant until) throws IOException {
        JsonNode doc = es.call("GET", "/" + index + "/_doc/" + name, null);
        if (!owner.equals(doc.path("_source").path("owner").asText())) {
            return false;
        }
        try {
            es.call("PUT", "/" + index + "/_doc/" + name + "?refresh=true&if_seq_no=" + doc.path("_seq_no").asLong()
                    + "&if_primary_term=" + doc.path("_primary_term").asLong(), body(clock.instant(), until));
            evaluatedUntil = until;
            return true;
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** Gives the lease up at shutdown, so another process need not wait for the TTL. */
    public void release() throws IOException {
        JsonNode doc = es.call("GET", "/" + index + "/_doc/" + name, null);
        if (!owner.equals(doc.path("_source").path("owner").asText())) {
            return;
        }
        try {
            String until = doc.path("_source").path("evaluated_until").asText(null);
            es.call("PUT", "/" + index + "/_doc/" + name + "?refresh=true&if_seq_no=" + doc.path("_seq_no").asLong()
                    + "&if_primary_term=" + doc.path("_primary_term").asLong(),
                    "{\"owner\":\"\",\"expires\":\"" + clock.instant() + "\""
                            + (until == null ? "" : ",\"evaluated_until\":\"" + until + "\"") + "}");
        } catch (ResponseException e) {
            // someone took it meanwhile: nothing to give up
        }
    }

    public Instant evaluatedUntil() {
        return evaluatedUntil;
    }

    public String owner() {
        return owner;
    }

    private String body(Instant now, Instant until) {
        return "{\"owner\":\"" + StatsStore.jsonEscape(owner) + "\",\"expires\":\"" + now.plus(ttl) + "\""
                + (until == null ? "" : ",\"evaluated_until\":\"" + until + "\"") + "}";
    }
}
