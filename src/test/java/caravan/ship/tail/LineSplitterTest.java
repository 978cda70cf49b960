package caravan.ship.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineSplitterTest {
    record Line(String text, long start, long end, boolean truncated, int anchorLen, long anchorHash) {
    }

    private final List<Line> lines = new ArrayList<>();
    private int accept = Integer.MAX_VALUE;
    private final LineSplitter.LineSink sink = l -> {
        if (accept-- <= 0) {
            return false;
        }
        lines.add(new Line(l.text(), l.start(), l.end(), l.truncated(), l.anchorLen(), l.anchorHash()));
        return true;
    };

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Feeds the splitter like its owner does: re-reading the "file" from scanPos each time. */
    private void feedFrom(LineSplitter sp, byte[] file, int upTo, int bufSize) {
        byte[] buf = new byte[bufSize];
        while (sp.scanPos() < upTo) {
            int n = (int) Math.min(bufSize, upTo - sp.scanPos());
            System.arraycopy(file, (int) sp.scanPos(), buf, 0, n);
            long before = sp.scanPos();
            if (!sp.feed(buf, n, sink) || sp.scanPos() == before) {
                return;
            }
        }
    }

    @Test
    void splitsCompleteLinesAndLeavesTheHalfWrittenOne() {
        LineSplitter sp = new LineSplitter(100, 0);
        byte[] file = b("one\ntwo\r\nthr");
        feedFrom(sp, file, file.length, 1024);
        assertThat(lines).extracting(Line::text).containsExactly("one", "two");
        assertThat(lines).extracting(Line::start).containsExactly(0L, 4L);
        assertThat(lines).extracting(Line::end).containsExactly(4L, 9L);
        assertThat(sp.readPos()).isEqualTo(9);
        // the writer finishes the line
        byte[] more = b("one\ntwo\r\nthree\n");
        feedFrom(sp, more, more.length, 1024);
        assertThat(lines).extracting(Line::text).containsExactly("one", "two", "three");
        assertThat(lines.get(2).start()).isEqualTo(9);
    }

    @Test
    void anchorIsTheHashOfTheBytesBeforeTheLineEnd() {
        LineSplitter sp = new LineSplitter(1000, 0);
        String text = "x".repeat(100) + "\n" + "short\n";
        byte[] file = b(text);
        feedFrom(sp, file, file.length, 4096);
        Line l1 = lines.get(0);
        assertThat(l1.anchorLen()).isEqualTo(64);
        assertThat(l1.anchorHash()).isEqualTo(Hashes.anchor(file, 101 - 64, 64));
        Line l2 = lines.get(1);
        assertThat(l2.anchorLen()).isEqualTo(64);
        assertThat(l2.anchorHash()).isEqualTo(Hashes.anchor(file, file.length - 64, 64));
    }

    @Test
    void refusedLineStaysUnread() {
        LineSplitter sp = new LineSplitter(100, 0);
        byte[] file = b("a\nb\nc\n");
        accept = 1;
        feedFrom(sp, file, file.length, 1024);
        assertThat(lines).extracting(Line::text).containsExactly("a");
        assertThat(sp.readPos()).isEqualTo(2);
        accept = Integer.MAX_VALUE;
        feedFrom(sp, file, file.length, 1024);
        assertThat(lines).extracting(Line::text).containsExactly("a", "b", "c");
    }

    @Test
    void longLineWithNewlineInBufferIsCut() {
        LineSplitter sp = new LineSplitter(10, 0);
        byte[] file = b("0123456789ABCDEF\nok\n");
        feedFrom(sp, file, file.length, 1024);
        assertThat(lines).extracting(Line::text).containsExactly("0123456789", "ok");
        assertThat(lines).extracting(Line::truncated).containsExactly(true, false);
        assertThat(lines.get(0).end()).isEqualTo(17);
    }

    @Test
    void longLineAcrossReadsIsKeptBoundedAndSkippedToItsNewline() {
        LineSplitter sp = new LineSplitter(10, 0);
        String big = "B".repeat(50_000);
        byte[] file = b("first\n" + big + "\nlast\n");
        // a buffer of minBuffer(), as the tailer sizes it: the long line arrives in many reads
        int writtenSoFar = 6 + 20_000;
        feedFrom(sp, file, writtenSoFar, sp.minBuffer());
        assertThat(sp.skippingLongLine()).isTrue();
        assertThat(sp.readPos()).isEqualTo(6);
        assertThat(sp.scanPos()).isEqualTo(writtenSoFar);
        feedFrom(sp, file, file.length, sp.minBuffer());
        assertThat(lines).extracting(Line::text).containsExactly("first", "B".repeat(10), "last");
        assertThat(lines.get(1).start()).isEqualTo(6);
        assertThat(lines.get(1).end()).isEqualTo(6 + 50_001);
        assertThat(lines.get(1).truncated()).isTrue();
        assertThat(sp.readPos()).isEqualTo(file.length);
    }

    @Test
    void cutsOnACharacterBoundary() {
        // "é" is two bytes: a 5-byte cut of "abcdé..." would split it
        LineSplitter sp = new LineSplitter(5, 0);
        byte[] file = b("abcdéfgh\n");
        feedFrom(sp, file, file.length, 1024);
        assertThat(lines.get(0).text()).isEqualTo("abcd");
        assertThat(LineSplitter.utf8Cut(b("ab€"), 0, 3)).isEqualTo(2);
        assertThat(LineSplitter.utf8Cut(b("ab€"), 0, 4)).isEqualTo(2);
        assertThat(LineSplitter.utf8Cut(b("ab€x"), 0, 5)).isEqualTo(5);
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        LineSplitter sp = new LineSplitter(100, 0);
        byte[] file = {'o', 'k', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '\n'};
        feedFrom(sp, file, file.length, 1024);
        assertThat(lines.get(0).text()).isEqualTo("ok\uFFFD(\uFFFD");
    }

    @Test
    void partialLineIsHandedOverOnRequest() {
        LineSplitter sp = new LineSplitter(100, 0);
        byte[] file = b("a\nno newline yet");
        feedFrom(sp, file, file.length, 1024);
        assertThat(sp.partialFrom()).isEqualTo(2);
        byte[] rest = Arrays.copyOfRange(file, 2, file.length);
        assertThat(sp.flushPartial(rest, rest.length, sink)).isTrue();
        assertThat(lines).extracting(Line::text).containsExactly("a", "no newline yet");
        assertThat(lines.get(1).end()).isEqualTo(file.length);
        assertThat(sp.readPos()).isEqualTo(file.length);
    }

    @Test
    void partialLongLineIsHandedOverTruncated() {
        LineSplitter sp = new LineSplitter(4, 0);
        byte[] file = b("abcdefghijklmnop");
        feedFrom(sp, file, file.length, sp.minBuffer());
        assertThat(sp.skippingLongLine()).isTrue();
        long from = sp.partialFrom();
        byte[] tail = Arrays.copyOfRange(file, (int) from, file.length);
        sp.flushPartial(tail, tail.length, sink);
        assertThat(lines).containsExactly(new Line("abcd", 0, 16, true, tail.length, Hashes.anchor(tail, 0, tail.length)));
        assertThat(sp.skippingLongLine()).isFalse();
    }

    /**
     * The word-at-a-time newline search finds what a byte loop finds, over every range of arrays
     * whose bytes sit next to '\n' in value (0x0B, 0x09, 0x8A) or borrow (0x00, 0x01, 0xFF).
     */
    @Test
    void newlineSearchAgreesWithAByteLoop() {
        byte[] alphabet = {'\n', 0x0B, 0x09, (byte) 0x8A, 0x00, 0x01, (byte) 0xFF, 'a'};
        java.util.Random random = new java.util.Random(25);
        for (int round = 0; round < 20_000; round++) {
            byte[] a = new byte[random.nextInt(40)];
            for (int i = 0; i < a.length; i++) {
                a[i] = random.nextInt(3) == 0 ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt(256);
            }
            int from = a.length == 0 ? 0 : random.nextInt(a.length + 1);
            int to = from + random.nextInt(a.length - from + 1);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (a[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(LineSplitter.indexOfNewline(a, from, to)).as("%s [%d, %d)", Arrays.toString(a), from, to)
                    .isEqualTo(expected);
        }
    }

    /** A line's text is its bytes decoded as UTF-8, whether they are ASCII (copied) or not (decoded). */
    @Test
    void textIsTheUtf8DecodingOfTheLinesBytes() {
        java.util.Random random = new java.util.Random(25);
        for (int round = 0; round < 20_000; round++) {
            byte[] a = new byte[random.nextInt(40)];
            boolean ascii = random.nextBoolean();
            for (int i = 0; i < a.length; i++) {
                a[i] = (byte) (ascii ? random.nextInt(128) : random.nextInt(256));
            }
            if (ascii && a.length > 0 && random.nextInt(4) == 0) {
                a[random.nextInt(a.length)] = (byte) (0x80 | random.nextInt(128)); // one byte off ASCII
            }
            int off = a.length == 0 ? 0 : random.nextInt(a.length + 1);
            int len = random.nextInt(a.length - off + 1);
            caravan.ship.tail.Line line = new caravan.ship.tail.Line(a, off, len, 0, len, false, 0, 0);
            assertThat(line.text()).isEqualTo(new String(a, off, len, StandardCharsets.UTF_8));
        }
    }
}
