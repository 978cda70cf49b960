package caravan.search;

import static caravan.common.Secrets.secret;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import caravan.search.SearchTls;
import javax.net.ssl.SSLContext;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.elasticsearch.client.RestClient;
import org.slf4j.LoggerFactory;

/**
 * Builds the one low-level {@link RestClient} that camel-elasticsearch and Caravan's own calls share.
 *
 * <p>Credentials never come from the repository: an API key or a password is read from the
 * environment, or from a file named by it (for Docker and Kubernetes secrets).
 */
public final class ElasticsearchClients {
    private ElasticsearchClients() {
    }

    /**
     * A client from the {@code caravan.elasticsearch.*} settings: urls, username, password or
     * password-file, api-key or api-key-file ({@code setting} gives "" or null for unset keys).
     */
    public static RestClient fromSettings(java.util.function.Function<String, String> setting) {
        boolean verify = !"false".equalsIgnoreCase(String.valueOf(setting.apply("caravan.elasticsearch.tls-verify")).trim());
        return create(setting.apply("caravan.elasticsearch.urls"), setting.apply("caravan.elasticsearch.username"),
                secret(setting.apply("caravan.elasticsearch.password"), setting.apply("caravan.elasticsearch.password-file")),
                secret(setting.apply("caravan.elasticsearch.api-key"), setting.apply("caravan.elasticsearch.api-key-file")),
                verify ? SearchTls.context(setting.apply("caravan.elasticsearch.ca-file"),
                        setting.apply("caravan.elasticsearch.ca-fingerprint")) : SearchTls.trustAnything(),
                verify);
    }

    /** Plain http:// or https:// with the JDK's CAs. */
    public static RestClient create(String urls, String username, String password, String apiKey) {
        return create(urls, username, password, apiKey, null, true);
    }

    /**
     * @param urls   comma-separated, e.g. {@code http://127.0.0.1:9200,http://es2:9200}
     * @param tls    which servers https:// trusts, null for the JDK's CAs ({@link SearchTls})
     * @param verify false skips certificate and host name checks (never the default)
     */
    public static RestClient create(String urls, String username, String password, String apiKey, SSLContext tls,
                                    boolean verify) {
        HttpHost[] hosts = Arrays.stream(urls.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(ElasticsearchClients::host)
                .toArray(HttpHost[]::new);
        if (hosts.length == 0) {
            throw new IllegalArgumentException("caravan.elasticsearch.urls is empty: set it to e.g. http://127.0.0.1:9200");
        }
        var builder = RestClient.builder(hosts)
                .setRequestConfigCallback(rc -> rc.setConnectTimeout(5_000).setSocketTimeout(60_000));
        builder.setHttpClientConfigCallback(hc -> {
            // Credentials go in a default header, so the client's auth cache is never used; it still
            // deserialised a cached scheme on every request (about 3% of the indexer's thread).
            hc.disableAuthCaching();
            if (tls != null) {
                hc.setSSLContext(tls);
            }
            if (!verify) {
                hc.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
            }
            return hc;
        });
        if (!verify) {
            LoggerFactory.getLogger(ElasticsearchClients.class).warn("caravan.elasticsearch.tls-verify is false: "
                    + "the search engine's certificate is not checked; anyone on the path can read and change the traffic");
        }
        if (apiKey != null && !apiKey.isBlank()) {
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "ApiKey " + apiKey.trim())});
        } else if (username != null && !username.isBlank()) {
            String token = Base64.getEncoder().encodeToString((username + ":" + (password == null ? "" : password))
                    .getBytes(StandardCharsets.UTF_8));
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "Basic " + token)});
        }
        return builder.build();
    }

    static HttpHost host(String url) {
        URI u = URI.create(url.contains("://") ? url : "http://" + url);
        if (u.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' in caravan.elasticsearch.urls is not a URL: use http://host:9200");
        }
        return new HttpHost(u.getHost(), u.getPort() < 0 ? 9200 : u.getPort(), u.getScheme());
    }
}
