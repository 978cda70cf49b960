package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.common.SafeLog;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.layout.template.json.JsonTemplateLayout;
import org.apache.logging.log4j.message.ParameterizedMessage;
import org.junit.jupiter.api.Test;

/** The JSON log layout log4j2.properties selects: one ECS object per line, whatever a log line contains. */
class JsonLogTest {

    @Test
    void aForgedLineStaysInsideOneJsonObject() throws Exception {
        JsonTemplateLayout layout = JsonTemplateLayout.newBuilder()
                .setConfiguration(new DefaultConfiguration())
                .setEventTemplateUri("classpath:EcsLayout.json").build();
        String forged = "GET /x HTTP/1.1\"\n{\"log.level\":\"ERROR\",\"message\":\"forged\"}\r\u001b[2J";
        String out = layout.toSerializable(Log4jLogEvent.newBuilder()
                .setLoggerName("caravan.test").setLevel(Level.WARN)
                .setMessage(new ParameterizedMessage("bad line: {}", SafeLog.escape(forged))).build());

        assertThat(out).endsWith("\n");
        assertThat(out.substring(0, out.length() - 1)).doesNotContain("\n", "\r", "\u001b");
        JsonNode json = new ObjectMapper().readTree(out);
        assertThat(json.get("log.level").asText()).isEqualTo("WARN");
        assertThat(json.get("@timestamp").asText()).isNotEmpty();
        assertThat(json.get("message").asText()).startsWith("bad line: GET /x").contains("\\n{\"log.level\"");
    }
}
