package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void aTerminalGetsOneRedrawnBar() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), true, 1000, 2000);
        p.update(600, 500);
        p.update(1000, 750);
        p.finish(1000);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("\r[").contains("750/1000 lines", "lines/s", "ETA").contains("[" + "#".repeat(30) + "] 100%");
        assertThat(out.chars().filter(c -> c == '\n').count()).isEqualTo(2); // the bar, then the summary
        assertThat(out).endsWith("lines/s)\n").contains("done: 1000 lines indexed");
    }

    @Test
    void elsewherePlainLinesAtMostEveryInterval() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Progress p = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), false, 1000, 60_000);
        p.update(10, 5);
        p.update(20, 10);
        p.finish(1000);
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).doesNotContain("\r", "\u001b").isEqualTo(out.substring(out.indexOf("done:")));
        Progress q = new Progress(new PrintStream(buf, true, StandardCharsets.UTF_8), false, 1000, 0);
        q.update(20, 10);
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("progress: shipped 20/1000, indexed 10/1000 lines");
    }
}
