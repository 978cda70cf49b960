package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees when a command cannot do its job: one line and an exit code, no stack trace. */
class CommandErrorsTest {
    @TempDir
    Path dir;

    private record Run(int code, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Caravan.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new Run(code, err.toString());
    }

    @Test
    void anElasticsearchThatDoesNotAnswerIsOneLineAndExitOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // closed again: nothing listens there
        }
        Path config = Files.writeString(dir.resolve("app.properties"),
                "caravan.elasticsearch.urls = http://127.0.0.1:" + port + "\n");
        Run r = run("indices", "prune", "--older-than", "30d", "--config", config.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).startsWith("caravan: java.net.ConnectException").contains("caravan.elasticsearch.urls")
                .doesNotContain("\tat ");
    }

    @Test
    void aBadArgumentNamesTheFixAndExitsTwo() {
        Run r = run("analyse", "--from", "2026-11-24", "--to", "2026-11-01");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--from (2026-11-24T00:00:00Z) must be before --to");
    }
}
