package caravan.ship.tail;

import java.nio.charset.StandardCharsets;

/**
 * A line (or joined multiline event) as cut from a file: its bytes in a shared buffer, valid only
 * during the call that hands it over, and where it sits in the file.
 *
 * @param bytes      buffer holding the text (borrowed: copy what must outlive the call)
 * @param off        first byte of the text in {@code bytes}
 * @param len        length of the text, without the newline (and a CR before it)
 * @param start      file offset of the first byte
 * @param end        file offset just after the newline: where reading resumes
 * @param truncated  cut at maxLineBytes (or at the multiline limits)
 * @param anchorLen  how many file bytes before {@code end} {@code anchorHash} covers
 * @param anchorHash hash of those bytes: proves the file still holds this line before resuming after it
 */
record Line(byte[] bytes, int off, int len, long start, long end, boolean truncated, int anchorLen, long anchorHash) {

    /**
     * The text, UTF-8 decoded; invalid bytes are U+FFFD. ASCII, the common case, is copied as
     * Latin-1, which decodes it the same without the JDK's own scan: that scan is an intrinsic of C2
     * only, and the shipper runs C1, where it was a sixth of the tailer thread.
     */
    String text() {
        return LineSplitter.ascii(bytes, off, off + len)
                ? new String(bytes, off, len, StandardCharsets.ISO_8859_1)
                : new String(bytes, off, len, StandardCharsets.UTF_8);
    }

    /** The same position, another text (a joined event that starts here and ends at {@code last}). */
    Line spanning(byte[] text, int textLen, long from, boolean cut) {
        return new Line(text, 0, textLen, from, end, cut, anchorLen, anchorHash);
    }
}
