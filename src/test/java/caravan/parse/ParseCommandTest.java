package caravan.parse;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.ops.ParseCommand;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code caravan parse} (caravan.ops.ParseCommand): tested here, beside the parsers it drives, until the
 * CLI root exists.
 */
class ParseCommandTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void forget() {
        Parsers.resetForTests();
    }

    private int run(String stdin, String... args) {
        ParseCommand cmd = new ParseCommand(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        CommandLine cl = new CommandLine(cmd);
        cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setOut(new java.io.PrintWriter(out, true, StandardCharsets.UTF_8));
        String[] parseOnly = new String[args.length + 1];
        parseOnly[0] = "--no-enrich"; // the parser's document alone: ParseCommandEnrichTest covers the chain
        System.arraycopy(args, 0, parseOnly, 1, args.length);
        return cl.execute(parseOnly);
    }

    private List<JsonNode> documents() throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        for (String l : out.toString(StandardCharsets.UTF_8).split("\n")) {
            docs.add(MAPPER.readTree(l));
        }
        return docs;
    }

    @Test
    void oneDocumentPerLineAndErrorsInPlace() throws Exception {
        String input = "1.2.3.4 - - [17/May/2015:10:05:03 +0000] \"GET /a HTTP/1.1\" 200 5 \"-\" \"ua\"\n"
                + "garbage line\n"
                + "::1 - - [17/May/2015:10:05:04 +0000] \"-\" 408 0 \"-\" \"-\"\n";
        assertThat(run(input, "--format", "combined")).isZero();
        List<JsonNode> docs = documents();
        assertThat(docs).hasSize(3);
        assertThat(docs.get(0).at("/url/path").asText()).isEqualTo("/a");
        assertThat(docs.get(0).at("/event/dataset").asText()).isEqualTo("apache.access");
        assertThat(docs.get(0).at("/@timestamp").asText()).isEqualTo("2015-05-17T10:05:03.000Z");
        assertThat(docs.get(1).at("/error/position").isInt()).isTrue();
        assertThat(docs.get(1).at("/error/reason").asText()).isNotBlank();
        assertThat(docs.get(1).at("/line").asText()).isEqualTo("garbage line");
        assertThat(docs.get(2).at("/http/response/status_code").asInt()).isEqualTo(408);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("2 parsed, 1 failed");
    }

    @Test
    void logFormatAndNginxFormatOptions() throws Exception {
        assertThat(run("1.2.3.4 200 1500\n", "--log-format", "%h %>s %D")).isZero();
        assertThat(documents().get(0).at("/event/duration").asLong()).isEqualTo(1_500_000L);
        out.reset();
        assertThat(run("1.2.3.4 404 0.250\n", "--nginx-format", "$remote_addr $status $request_time")).isZero();
        JsonNode d = documents().get(0);
        assertThat(d.at("/event/duration").asLong()).isEqualTo(250_000_000L);
        assertThat(d.at("/event/dataset").asText()).isEqualTo("nginx.access");
    }

    @Test
    void patternsFileForAppLogs() throws Exception {
        assertThat(run("23/10/2025 16:32:15 | WARN | alice | disk almost full\n2025-10-23 14:32:15 INFO [svc] hi\n",
                "--patterns", "src/test/resources/parse/patterns.yaml")).isZero();
        List<JsonNode> docs = documents();
        assertThat(docs.get(0).at("/user/name").asText()).isEqualTo("alice");
        assertThat(docs.get(1).at("/service/name").asText()).isEqualTo("svc");
    }

    @Test
    void badFormatOrPatternsIsAUsageError() {
        assertThat(run("", "--format", "nonsense")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("format 'nonsense'");
        assertThat(run("", "--patterns", "src/test/resources/parse/patterns-broken.yaml")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("patterns-broken.yaml:5:");
        assertThat(run("", "--format", "combined", "--log-format", "%h")).isEqualTo(2);
    }

    @Test
    void helpIsThere() {
        assertThat(run("", "--help")).isZero();
    }
}
