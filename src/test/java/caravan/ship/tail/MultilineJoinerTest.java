package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MultilineJoinerTest {
    record Event(String text, long start, long end, boolean truncated) {
    }

    private final List<Event> events = new ArrayList<>();
    private final MultilineJoiner.EventSink sink = e ->
            events.add(new Event(e.text(), e.start(), e.end(), e.truncated()));
    private long pos;

    private void feed(MultilineJoiner j, String... lines) {
        for (String l : lines) {
            byte[] b = l.getBytes(StandardCharsets.UTF_8);
            j.line(new caravan.ship.tail.Line(b, 0, b.length, pos, pos + b.length + 1, false, 0, 0), sink);
            pos += b.length + 1;
        }
    }

    static final String JAVA = "^\\s+at |^\\s+\\.\\.\\. \\d+ more|^Caused by:";

    @Test
    void javaStackTraceJoinsUnderItsMessage() {
        MultilineJoiner j = new MultilineJoiner(JAVA, MultilineJoiner.Mode.CONTINUE, false, 500, 1 << 20);
        feed(j, "2026-01-01 ERROR boom",
                "java.lang.IllegalStateException: bad",
                "\tat a.B.c(B.java:1)",
                "Caused by: java.io.IOException: worse",
                "\tat d.E.f(E.java:2)",
                "\t... 3 more",
                "2026-01-01 INFO fine");
        // the exception class line does not match: it starts an event of its own
        assertThat(events).extracting(Event::text).containsExactly("2026-01-01 ERROR boom",
                "java.lang.IllegalStateException: bad\n\tat a.B.c(B.java:1)\nCaused by: java.io.IOException: worse\n\tat d.E.f(E.java:2)\n\t... 3 more");
        assertThat(j.hasPending()).isTrue();
        j.flush(sink);
        assertThat(events.get(2).text()).isEqualTo("2026-01-01 INFO fine");
    }

    @Test
    void startModeWithATimestampPatternKeepsTheWholeTrace() {
        MultilineJoiner j = new MultilineJoiner("^\\d{4}-\\d{2}-\\d{2} ", MultilineJoiner.Mode.START, false, 500, 1 << 20);
        feed(j, "2026-01-01 ERROR boom", "java.lang.IllegalStateException: bad", "\tat a.B.c(B.java:1)",
                "2026-01-01 INFO next");
        assertThat(events).containsExactly(new Event(
                "2026-01-01 ERROR boom\njava.lang.IllegalStateException: bad\n\tat a.B.c(B.java:1)", 0, 79, false));
        assertThat(j.pendingStart()).isEqualTo(79);
    }

    @Test
    void negateInvertsTheMatch() {
        // "lines that do NOT start with a timestamp continue" == START mode with the timestamp pattern
        MultilineJoiner j = new MultilineJoiner("^\\d{4}-", MultilineJoiner.Mode.CONTINUE, true, 500, 1 << 20);
        feed(j, "2026-01 a", "  more", "2026-01 b");
        j.flush(sink);
        assertThat(events).extracting(Event::text).containsExactly("2026-01 a\n  more", "2026-01 b");
    }

    @Test
    void maxLinesCutsTheEventButItsEndCoversEveryLine() {
        MultilineJoiner j = new MultilineJoiner("^\\s", MultilineJoiner.Mode.CONTINUE, false, 3, 1 << 20);
        feed(j, "head", " 1", " 2", " 3", " 4", "next");
        assertThat(events).containsExactly(new Event("head\n 1\n 2", 0, 17, true));
    }

    @Test
    void maxBytesCutsTheEvent() {
        MultilineJoiner j = new MultilineJoiner("^\\s", MultilineJoiner.Mode.CONTINUE, false, 100, 10);
        feed(j, "head", " 12", " 345", "next");
        assertThat(events).containsExactly(new Event("head\n 12", 0, 14, true));
        feed(j, "x".repeat(30));
        j.flush(sink);
        assertThat(events.get(2)).isEqualTo(new Event("x".repeat(10), 19, 50, true));
    }
}
