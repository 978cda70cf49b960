package caravan.ops;

import caravan.search.ElasticsearchClients;
import caravan.search.Refusals;
import caravan.search.SearchCluster;
import caravan.search.SearchEngine;
import caravan.search.SearchRefused;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The search-engine half of {@code caravan check --connect}: connects with the real settings (the
 * same client as the daemon) and says, one line each, how (TLS, authentication), to what (engine and
 * version, refused if unsupported), and whether Caravan's privileges are there where the engine can
 * tell.
 */
final class SearchConnectCheck {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the daemon does: write and create its indices, read them (API, analyser), manage its template and policy. */
    static final String PRIVILEGES = """
            {"cluster":["manage_index_templates","manage_ilm","monitor"],
             "index":[{"names":["%s"],"privileges":["create_doc","create_index","read","view_index_metadata"]}]}""";
    private final Function<String, String> setting;
    private final PrintWriter out;

    SearchConnectCheck(Function<String, String> setting, PrintWriter out) {
        this.setting = setting;
        this.out = out;
    }

    /** @return the problems found, one line each (empty when Caravan can use this engine) */
    List<String> run() {
        List<String> errors = new ArrayList<>();
        String urls = setting.apply("caravan.elasticsearch.urls").trim();
        try (RestClient client = ElasticsearchClients.fromSettings(setting)) {
            SearchEngine engine = new SearchCluster(client).detect();
            out.println("search: connected to " + urls + ": " + tls(urls) + ", " + credentials());
            out.println("search: " + engine + ", supported");
            privileges(client, engine, errors);
        } catch (SearchRefused e) {
            errors.add("search: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            errors.add("search: " + e.getMessage());
        } catch (IOException e) {
            errors.add("search: no answer from " + urls + " (" + e + "): check caravan.elasticsearch.urls");
        }
        return errors;
    }

    private String tls(String urls) {
        if (!urls.contains("https://")) {
            return "plain HTTP (no TLS)";
        }
        if ("false".equalsIgnoreCase(setting.apply("caravan.elasticsearch.tls-verify").trim())) {
            return "TLS, certificate NOT verified (caravan.elasticsearch.tls-verify=false)";
        }
        String ca = setting.apply("caravan.elasticsearch.ca-file").trim();
        String pin = setting.apply("caravan.elasticsearch.ca-fingerprint").trim();
        return "TLS ok, certificate trusted (" + (!ca.isEmpty() ? ca : !pin.isEmpty() ? "CA fingerprint" : "the JVM's CAs")
                + "), host name verified";
    }

    private String credentials() {
        if (!setting.apply("caravan.elasticsearch.api-key-file").isBlank() || !setting.apply("caravan.elasticsearch.api-key").isBlank()) {
            return "API key accepted";
        }
        String user = setting.apply("caravan.elasticsearch.username").trim();
        return user.isEmpty() ? "no credentials sent" : "basic auth as " + user + " accepted";
    }

    private void privileges(RestClient client, SearchEngine engine, List<String> errors) throws IOException {
        if (engine.isOpenSearch()) {
            out.println("search: privileges not checked: OpenSearch cannot be asked for them; a refusal shows on "
                    + "readiness with what is missing");
            return;
        }
        Request has = new Request("POST", "/_security/user/_has_privileges");
        has.setJsonEntity(PRIVILEGES.formatted(setting.apply("caravan.index.template.pattern").trim()));
        JsonNode r;
        try {
            r = JSON.readTree(EntityUtils.toString(client.performRequest(has).getEntity()));
        } catch (ResponseException e) {
            int s = e.getResponse().getStatusLine().getStatusCode();
            if (s == 400 || s == 404 || s == 405 || s == 500) {
                out.println("search: privileges not checked: security is off on this cluster (" + Refusals.errorText(e) + ")");
                return;
            }
            throw e;
        }
        List<String> missing = new ArrayList<>();
        r.path("cluster").properties().forEach(f -> {
            if (!f.getValue().asBoolean()) {
                missing.add(f.getKey());
            }
        });
        r.path("index").properties().forEach(i -> i.getValue().properties().forEach(f -> {
            if (!f.getValue().asBoolean()) {
                missing.add(f.getKey() + " on " + i.getKey());
            }
        }));
        if (missing.isEmpty()) {
            out.println("search: privileges ok for " + r.path("username").asText("this user"));
        } else {
            errors.add("search: " + r.path("username").asText("the user") + " lacks " + String.join(", ", missing)
                    + ": grant them to Caravan's role or API key");
        }
    }
}
