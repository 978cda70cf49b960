package caravan.enrich.crs.libinjection;

import java.nio.charset.StandardCharsets;

/**
 * One token slot of the SQL tokenizer. Slots are reused (the folder keeps eight of them), so the
 * class is mutable and copies by value; the text is kept up to {@link #MAX_TEXT} bytes, as the
 * published vectors expect (longer words are truncated and never match a keyword).
 */
final class SqlToken {
    static final int MAX_TEXT = 31;

    SqlTokenType type = SqlTokenType.NONE;
    /** Offset of the token's text in the input. */
    int pos;
    /** Length of {@link #text} (the truncated length). */
    int len;
    /** Opening and closing quote of a string, 0 when absent; '$', 'q' and 'u' mark special forms. */
    byte open;
    byte close;
    /** Number of leading '@' of a variable. */
    int atSigns;
    final byte[] text = new byte[MAX_TEXT];

    void clear() {
        type = SqlTokenType.NONE;
        pos = 0;
        len = 0;
        open = 0;
        close = 0;
        atSigns = 0;
    }

    void set(SqlTokenType type, int pos, byte[] src, int from, int length) {
        int n = Math.min(length, MAX_TEXT);
        this.type = type;
        this.pos = pos;
        this.len = n;
        System.arraycopy(src, from, text, 0, n);
    }

    void setChar(SqlTokenType type, int pos, byte ch) {
        this.type = type;
        this.pos = pos;
        this.len = 1;
        text[0] = ch;
    }

    void copyFrom(SqlToken o) {
        type = o.type;
        pos = o.pos;
        len = o.len;
        open = o.open;
        close = o.close;
        atSigns = o.atSigns;
        System.arraycopy(o.text, 0, text, 0, MAX_TEXT);
    }

    /** The i-th text byte, 0 past the end (the vectors rely on C string semantics there). */
    byte at(int i) {
        return i < len ? text[i] : 0;
    }

    /** ASCII case-insensitive equality of the text with an upper-case word. */
    boolean is(String upper) {
        return len == upper.length() && startsWith(upper);
    }

    boolean startsWith(String upper) {
        if (len < upper.length()) {
            return false;
        }
        for (int i = 0; i < upper.length(); i++) {
            if (Ascii.upper(text[i]) != upper.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    boolean isUnaryOperator() {
        if (type != SqlTokenType.OPERATOR) {
            return false;
        }
        return switch (len) {
            case 1 -> text[0] == '+' || text[0] == '-' || text[0] == '!' || text[0] == '~';
            case 2 -> text[0] == '!' && text[1] == '!';
            case 3 -> is("NOT");
            default -> false;
        };
    }

    boolean isArithmeticOperator() {
        byte c = text[0];
        return type == SqlTokenType.OPERATOR && len == 1
                && (c == '*' || c == '/' || c == '-' || c == '+' || c == '%');
    }

    /** The text up to its first NUL byte, bytes as Latin-1 characters (for tests and diagnostics). */
    String textAsString() {
        int n = 0;
        while (n < len && text[n] != 0) {
            n++;
        }
        return new String(text, 0, n, StandardCharsets.ISO_8859_1);
    }
}
