package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader rests activePollDelay while lines come, and pollDelay once the files have been quiet a second. */
class PollRestTest {
    @TempDir
    Path dir;

    @Test
    void theRestIsShortWhileLinesComeAndLongOnceTheyStop() throws Exception {
        Path log = dir.resolve("app.log");
        Files.writeString(log, "");
        try (Driven d = new Driven(Driven.options(log, dir.resolve("cp/t.json"), 8, 1000))) {
            d.step(5);
            assertThat(d.rest()).as("nothing read yet").isEqualTo(10);

            Files.writeString(log, "one\ntwo\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            assertThat(d.step(0)).isTrue();
            assertThat(d.rest()).as("lines just read").isEqualTo(2);

            d.completeAll();
            d.step(Tailer.ACTIVE_MS - 1); // a pass that reads nothing, then the clock moves to just under a second
            assertThat(d.step(0)).isFalse();
            assertThat(d.rest()).as("quiet for under a second").isEqualTo(2);

            d.clock.advance(1);
            d.step(0);
            assertThat(d.rest()).as("quiet for a second").isEqualTo(10);

            Files.writeString(log, "three\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            assertThat(d.step(0)).isTrue();
            assertThat(d.rest()).as("a line again").isEqualTo(2);
            assertThat(d.held).extracting(TailEvent::text).containsExactly("three");
        }
    }

    @Test
    void theEndpointKeepsTheActiveRestWithinPollDelayAndRefusesZero() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            String cp = "&checkpointDir=" + dir.resolve("cp");
            TailEndpoint byDefault = ctx.getEndpoint("tail:" + dir + "/a.log?format=combined" + cp, TailEndpoint.class);
            assertThat(byDefault.options("a").pollDelay()).isEqualTo(50);
            assertThat(byDefault.options("a").activePollDelay()).isEqualTo(10);
            TailEndpoint slowPoll = ctx.getEndpoint("tail:" + dir + "/b.log?pollDelay=5" + cp, TailEndpoint.class);
            assertThat(slowPoll.options("b").activePollDelay()).as("never longer than pollDelay").isEqualTo(5);
            assertThatThrownBy(() -> ctx.getEndpoint("tail:" + dir + "/c.log?activePollDelay=0" + cp, TailEndpoint.class).options("c"))
                    .hasStackTraceContaining("activePollDelay must be positive");
        }
    }
}
