package caravan.index;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.event.LogEvent;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every field the access-log parser writes for the real corpus and the peers' fixtures has an
 * explicit mapping in Caravan's template. An unmapped one would get dynamic text mapping on an open
 * cluster, and be refused outright where an operator set the mapping to strict.
 */
class TemplateCoversParsedFieldsTest {

    @Test
    void everyParsedAccessLogFieldIsMapped() throws Exception {
        JsonNode properties = new ObjectMapper().readTree(IndexTemplates.render(1, 0, "1s"))
                .path("template").path("mappings").path("properties");
        TreeSet<String> unmapped = new TreeSet<>();
        Map<String, List<Path>> sources = Map.of(
                "combined", List.of(Path.of("src/test/resources/corpus/apache_combined_10k.log"),
                        Path.of("src/test/resources/conformance/filebeat/apache-access-test.log")),
                "nginx", List.of(Path.of("src/test/resources/conformance/filebeat/nginx-access-test.log")),
                "nginx_error", List.of(Path.of("src/test/resources/conformance/filebeat/nginx-error-error.log")));
        int parsed = 0;
        for (Map.Entry<String, List<Path>> s : sources.entrySet()) {
            LineParser parser = Parsers.forFormat(s.getKey());
            for (Path file : s.getValue()) {
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    LogEvent e = new LogEvent();
                    try {
                        parser.parse(line, e);
                    } catch (ParseException ex) {
                        continue;
                    }
                    parsed++;
                    for (String name : e.fields().keySet()) {
                        if (!mapped(properties, name)) {
                            unmapped.add(name);
                        }
                    }
                }
            }
        }
        assertThat(parsed).isGreaterThan(10_000);
        assertThat(unmapped).as("fields the parsers write that the template does not map").isEmpty();
    }

    private static boolean mapped(JsonNode properties, String dotted) {
        JsonNode node = properties;
        for (String part : dotted.split("\\.")) {
            JsonNode field = node.path(part);
            if (field.isMissingNode()) {
                return false;
            }
            if (!field.has("properties")) {
                return true; // a leaf, or an object mapped whole (flattened, object without properties)
            }
            node = field.path("properties");
        }
        return true;
    }
}
