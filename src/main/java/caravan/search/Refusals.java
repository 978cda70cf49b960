package caravan.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.ResponseException;

/** Tells a refusal that no retry fixes ({@link SearchRefused}) from an outage, and says what to change. */
public final class Refusals {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CREDENTIALS = "caravan.elasticsearch.api-key-file (or api-key, username with password-file)";

    private Refusals() {
    }

    /**
     * The refusal in {@code e}'s cause chain, or null when {@code e} is an outage (no answer, 5xx,
     * 429) or an answer the caller handles itself.
     *
     * @param what the request, for the message: "bulk request", "index template caravan-logs"
     */
    public static SearchRefused classify(Throwable e, String what) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SearchRefused r) {
                return r;
            }
            if (t instanceof ResponseException re) {
                return fromStatus(re.getResponse().getStatusLine().getStatusCode(), errorText(re), what, re);
            }
            if (t instanceof SSLException || t instanceof CertificateException) {
                return new SearchRefused(SearchRefused.Kind.TLS, what + ": TLS with the search engine failed ("
                        + t.getMessage() + "): set caravan.elasticsearch.ca-file or caravan.elasticsearch.ca-fingerprint "
                        + "to the cluster's CA, or use http:// if the node does not speak TLS", t);
            }
        }
        return null;
    }

    /** The refusal for a whole-request HTTP status, or null for statuses a retry may fix. */
    public static SearchRefused fromStatus(int status, String error, String what, Throwable cause) {
        return switch (status) {
            case 401 -> new SearchRefused(SearchRefused.Kind.AUTHENTICATION, what + " refused with 401 (" + error
                    + "): the search engine does not accept Caravan's credentials; check " + CREDENTIALS, cause);
            case 403 -> new SearchRefused(SearchRefused.Kind.AUTHORISATION, what + " refused with 403 (" + error
                    + "): grant Caravan's user or API key the privileges it needs (create_doc, create_index and read on "
                    + "Caravan's indices, manage_index_templates and manage_ilm on the cluster)", cause);
            case 400, 406, 415 -> new SearchRefused(SearchRefused.Kind.BAD_REQUEST, what + " refused with " + status + " ("
                    + error + "): the search engine cannot take this request as sent; check that it is a supported "
                    + "engine and version, and the caravan.index.template.* settings", cause);
            default -> null;
        };
    }

    /** "type: reason" from an error response body, else its status line. */
    public static String errorText(ResponseException e) {
        String status = e.getResponse().getStatusLine().toString();
        try {
            if (e.getResponse().getEntity() == null) {
                return status;
            }
            JsonNode err = JSON.readTree(EntityUtils.toString(e.getResponse().getEntity())).path("error");
            if (err.isObject()) {
                return err.path("type").asText() + ": " + err.path("reason").asText();
            }
            return err.isMissingNode() ? status : err.asText();
        } catch (IOException | RuntimeException notJson) {
            return status;
        }
    }
}
