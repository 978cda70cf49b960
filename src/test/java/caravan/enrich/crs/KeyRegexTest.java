package caravan.enrich.crs;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A key regex answered by string comparison agrees with RE2 on every key, plain word or not. */
class KeyRegexTest {
    private static final List<String> BODIES = List.of("^header_name_920450_", "paramcounter_.*", "rfi_parameter_.*",
            "MULTIPART_HEADERS_CONTENT_TYPES_*", "^id$", "utm", "^_pk_ref", "^_ga(?:_\\w+)?$", "ab$", "^a-b",
            "^[\\w]+\\[[\\w\\-]+\\]$", "x*", "^abc*");
    private static final List<String> KEYS = List.of("", "header_name_920450_user-agent", "x_header_name_920450_",
            "paramcounter_3", "paramcounter", "rfi_parameter_url", "multipart_headers_content_types",
            "multipart_headers_content_types_1", "multipart_headers_content_type", "id", "idx", "xid", "utm_source",
            "_pk_ref.1", "_ga", "_ga_x1", "ab", "cab", "abc", "a-b", "a-bc", "ab", "abcc", "q[a]", "ſ", "x");

    @Test
    void agreesWithTheRegexOnEveryKey() {
        for (String body : BODIES) {
            KeyRegex k = CrsTestDefaults.keyRegex(body);
            Pattern p = Pattern.compile("(?i)" + body);
            for (String key : KEYS) {
                assertThat(k.find(key)).as("/%s/ on %s", body, key).isEqualTo(p.matcher(key).find());
            }
        }
    }
}
