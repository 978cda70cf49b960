package caravan.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ExecutionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class RefusalsTest {

    @Test
    void credentialsPrivilegesAndUnreadableRequestsAreRefusalsNamingTheFix() {
        SearchRefused auth = Refusals.fromStatus(401, "security_exception: missing authentication credentials", "bulk request", null);
        assertThat(auth.kind()).isEqualTo(SearchRefused.Kind.AUTHENTICATION);
        assertThat(auth.getMessage()).startsWith("bulk request refused with 401 (security_exception")
                .contains("caravan.elasticsearch.api-key-file");
        assertThat(Refusals.fromStatus(403, "x", "bulk request", null).kind()).isEqualTo(SearchRefused.Kind.AUTHORISATION);
        SearchRefused media = Refusals.fromStatus(400, "media_type_header_exception: Invalid media-type value", "bulk request", null);
        assertThat(media.kind()).isEqualTo(SearchRefused.Kind.BAD_REQUEST);
        assertThat(media.getMessage()).contains("media_type_header_exception");
    }

    @Test
    void outagesAreNotRefusals() {
        for (int status : new int[] {404, 408, 429, 500, 502, 503, 504}) {
            assertThat(Refusals.fromStatus(status, "x", "bulk request", null)).as("status %d", status).isNull();
        }
        assertThat(Refusals.classify(new ExecutionException(new java.net.ConnectException("refused")), "bulk request")).isNull();
    }

    @Test
    void anUntrustedCertificateIsARefusalFoundBelowTheWrappers() {
        SearchRefused r = Refusals.classify(new ExecutionException(new java.io.IOException("wrapped",
                new SSLHandshakeException("PKIX path building failed"))), "GET /");
        assertThat(r.kind()).isEqualTo(SearchRefused.Kind.TLS);
        assertThat(r.getMessage()).contains("PKIX path building failed").contains("caravan.elasticsearch.ca-file");
    }
}
