package caravan.enrich.crs.libinjection;

/**
 * A small HTML5 tokenizer after the WHATWG state machine (simplified as libinjection does, with IE's
 * quirks: NUL in tag names, backquoted attribute values, "<%..%>" comments). It may start inside an
 * attribute value, which is where reflected input often lands. States that only move on without
 * emitting a token loop here instead of recursing, so deep input cannot overflow the stack; each
 * byte is looked at a bounded number of times.
 */
final class Html5Tokenizer {
    enum Start { DATA, VALUE_NO_QUOTE, VALUE_SINGLE_QUOTE, VALUE_DOUBLE_QUOTE, VALUE_BACK_QUOTE }

    enum TokenType { DATA_TEXT, TAG_NAME_OPEN, TAG_NAME_CLOSE, TAG_NAME_SELFCLOSE, TAG_DATA, TAG_CLOSE, ATTR_NAME,
        ATTR_VALUE, TAG_COMMENT, DOCTYPE }

    private enum State { DATA, TAG_OPEN, END_TAG_OPEN, TAG_NAME, TAG_NAME_CLOSE, BEFORE_ATTR_NAME, ATTR_NAME,
        AFTER_ATTR_NAME, BEFORE_ATTR_VALUE, VALUE_DOUBLE, VALUE_SINGLE, VALUE_BACK, VALUE_UNQUOTED,
        AFTER_VALUE_QUOTED, SELF_CLOSING, BOGUS_COMMENT, PERCENT_COMMENT, MARKUP_DECLARATION, COMMENT, CDATA,
        DOCTYPE, EOF }

    /** A handler's outcome besides "continue in the state it set". */
    private static final int EMIT = 1;
    private static final int STOP = 0;
    private static final int GO_ON = -1;

    private final byte[] s;
    private final int n;
    private int pos;
    private boolean closing;
    private State state;

    TokenType type;
    int start;
    int length;

    Html5Tokenizer(byte[] s, Start start) {
        this.s = s;
        this.n = s.length;
        this.state = switch (start) {
            case DATA -> State.DATA;
            case VALUE_NO_QUOTE -> State.BEFORE_ATTR_NAME;
            case VALUE_SINGLE_QUOTE -> State.VALUE_SINGLE;
            case VALUE_DOUBLE_QUOTE -> State.VALUE_DOUBLE;
            case VALUE_BACK_QUOTE -> State.VALUE_BACK;
        };
    }

    /** Advances to the next token ({@link #type}, {@link #start}, {@link #length}); false at the end. */
    boolean next() {
        while (true) {
            int r = step();
            if (r != GO_ON) {
                return r == EMIT;
            }
        }
    }

    private int step() {
        return switch (state) {
            case DATA -> data();
            case TAG_OPEN -> tagOpen();
            case END_TAG_OPEN -> endTagOpen();
            case TAG_NAME -> tagName();
            case TAG_NAME_CLOSE -> tagNameClose();
            case BEFORE_ATTR_NAME -> beforeAttrName();
            case ATTR_NAME -> attrName();
            case AFTER_ATTR_NAME -> afterAttrName();
            case BEFORE_ATTR_VALUE -> beforeAttrValue();
            case VALUE_DOUBLE -> quotedValue((byte) '"');
            case VALUE_SINGLE -> quotedValue((byte) '\'');
            case VALUE_BACK -> quotedValue((byte) '`');
            case VALUE_UNQUOTED -> unquotedValue();
            case AFTER_VALUE_QUOTED -> afterValueQuoted();
            case SELF_CLOSING -> selfClosing();
            case BOGUS_COMMENT -> upTo((byte) '>', TokenType.TAG_COMMENT);
            case PERCENT_COMMENT -> percentComment();
            case MARKUP_DECLARATION -> markupDeclaration();
            case COMMENT -> comment();
            case CDATA -> cdata();
            case DOCTYPE -> upTo((byte) '>', TokenType.DOCTYPE);
            case EOF -> STOP;
        };
    }

    private int go(State next) {
        state = next;
        return GO_ON;
    }

    private int emit(TokenType t, int from, int len, State next) {
        type = t;
        start = from;
        length = len;
        state = next;
        return EMIT;
    }

    /** Whitespace as libinjection's HTML tokenizer sees it, NUL included. */
    private static boolean isWhite(byte c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r' || c == 0;
    }

    /** Skips white space; returns the byte reached, or -1 at the end. */
    private int skipWhite() {
        while (pos < n) {
            byte c = s[pos];
            if (!isWhite(c)) {
                return c;
            }
            pos++;
        }
        return -1;
    }

    private int data() {
        int lt = Ascii.indexOf(s, pos, n, (byte) '<');
        if (lt < 0) {
            int from = pos;
            return n - from == 0 ? STOP : emit(TokenType.DATA_TEXT, from, n - from, State.EOF);
        }
        int from = pos;
        pos = lt + 1;
        return lt == from ? go(State.TAG_OPEN) : emit(TokenType.DATA_TEXT, from, lt - from, State.TAG_OPEN);
    }

    private int tagOpen() {
        if (pos >= n) {
            return STOP;
        }
        byte c = s[pos];
        State next = c == '!' ? State.MARKUP_DECLARATION : c == '/' ? State.END_TAG_OPEN
                : c == '?' ? State.BOGUS_COMMENT : c == '%' ? State.PERCENT_COMMENT : null;
        if (next != null) {
            pos++;
            closing |= c == '/';
            return go(next);
        }
        if (Ascii.isLetter(c) || c == 0) {
            return go(State.TAG_NAME);
        }
        if (pos == 0) {
            return go(State.DATA);
        }
        return emit(TokenType.DATA_TEXT, pos - 1, 1, State.DATA); // a lone '<' is text
    }

    private int endTagOpen() {
        if (pos >= n) {
            return STOP;
        }
        byte c = s[pos];
        if (c == '>') {
            return go(State.DATA);
        }
        if (Ascii.isLetter(c)) {
            return go(State.TAG_NAME);
        }
        closing = false;
        return go(State.BOGUS_COMMENT);
    }

    private int tagNameClose() {
        closing = false;
        int at = pos++;
        return emit(TokenType.TAG_NAME_CLOSE, at, 1, pos < n ? State.DATA : State.EOF);
    }

    private int tagName() {
        int from = pos;
        for (int i = pos; i < n; i++) {
            byte c = s[i];
            if (c == 0) {
                continue; // old browsers ignore NUL inside tag names
            }
            if (isWhite(c) || c == '/') {
                pos = i + 1;
                return emit(TokenType.TAG_NAME_OPEN, from, i - from,
                        c == '/' ? State.SELF_CLOSING : State.BEFORE_ATTR_NAME);
            }
            if (c == '>') {
                if (closing) {
                    pos = i + 1;
                    closing = false;
                    return emit(TokenType.TAG_CLOSE, from, i - from, State.DATA);
                }
                pos = i;
                return emit(TokenType.TAG_NAME_OPEN, from, i - from, State.TAG_NAME_CLOSE);
            }
        }
        return emit(TokenType.TAG_NAME_OPEN, from, n - from, State.EOF);
    }

    private int beforeAttrName() {
        int c = skipWhite();
        return c == -1 ? STOP : slashOrClose(c, State.ATTR_NAME);
    }

    /** In a tag: '/' may start "/>", '>' closes the tag, anything else goes on in {@code otherwise}. */
    private int slashOrClose(int c, State otherwise) {
        if (c == '/') {
            pos++;
            return go(State.SELF_CLOSING);
        }
        if (c == '>') {
            int at = pos++;
            return emit(TokenType.TAG_NAME_CLOSE, at, 1, State.DATA);
        }
        return go(otherwise);
    }

    private int attrName() {
        int from = pos;
        for (int i = pos + 1; i < n; i++) {
            byte c = s[i];
            State next = isWhite(c) ? State.AFTER_ATTR_NAME : c == '/' ? State.SELF_CLOSING
                    : c == '=' ? State.BEFORE_ATTR_VALUE : c == '>' ? State.TAG_NAME_CLOSE : null;
            if (next != null) {
                pos = c == '>' ? i : i + 1;
                return emit(TokenType.ATTR_NAME, from, i - from, next);
            }
        }
        pos = n;
        return emit(TokenType.ATTR_NAME, from, n - from, State.EOF);
    }

    private int afterAttrName() {
        int c = skipWhite();
        if (c == -1) {
            return STOP;
        }
        if (c == '/' || c == '=') {
            pos++;
            return go(c == '/' ? State.SELF_CLOSING : State.BEFORE_ATTR_VALUE);
        }
        return go(c == '>' ? State.TAG_NAME_CLOSE : State.ATTR_NAME);
    }

    private int beforeAttrValue() {
        int c = skipWhite();
        if (c == -1) {
            state = State.EOF;
            return STOP;
        }
        return go(c == '"' ? State.VALUE_DOUBLE : c == '\'' ? State.VALUE_SINGLE
                : c == '`' ? State.VALUE_BACK : State.VALUE_UNQUOTED); // backquotes: IE only
    }

    private int quotedValue(byte quote) {
        // At offset 0 we started inside the value, so there is no opening quote to skip.
        if (pos > 0) {
            pos++;
        }
        int from = pos;
        int end = Ascii.indexOf(s, pos, n, quote);
        if (end < 0) {
            return emit(TokenType.ATTR_VALUE, from, n - from, State.EOF);
        }
        pos = end + 1;
        return emit(TokenType.ATTR_VALUE, from, end - from, State.AFTER_VALUE_QUOTED);
    }

    private int unquotedValue() {
        int from = pos;
        for (int i = pos; i < n; i++) {
            byte c = s[i];
            if (isWhite(c)) {
                pos = i + 1;
                return emit(TokenType.ATTR_VALUE, from, i - from, State.BEFORE_ATTR_NAME);
            }
            if (c == '>') {
                pos = i;
                return emit(TokenType.ATTR_VALUE, from, i - from, State.TAG_NAME_CLOSE);
            }
        }
        return emit(TokenType.ATTR_VALUE, from, n - from, State.EOF);
    }

    private int afterValueQuoted() {
        if (pos >= n) {
            return STOP;
        }
        byte c = s[pos];
        if (isWhite(c)) {
            pos++;
            return go(State.BEFORE_ATTR_NAME);
        }
        return slashOrClose(c, State.BEFORE_ATTR_NAME);
    }

    private int selfClosing() {
        if (pos >= n) {
            return STOP;
        }
        if (s[pos] == '>') {
            int at = pos - 1;
            pos++;
            return emit(TokenType.TAG_NAME_SELFCLOSE, at, 2, State.DATA);
        }
        return go(State.BEFORE_ATTR_NAME);
    }

    /** Everything up to {@code end} (or the input's end) is one token of {@code t}. */
    private int upTo(byte end, TokenType t) {
        int from = pos;
        int at = Ascii.indexOf(s, pos, n, end);
        if (at < 0) {
            pos = n;
            return emit(t, from, n - from, State.EOF);
        }
        pos = at + 1;
        return emit(t, from, at - from, State.DATA);
    }

    /** "<% .. %>", an old IE and Safari comment form. */
    private int percentComment() {
        int from = pos;
        for (int i = Ascii.indexOf(s, pos, n, (byte) '%'); i >= 0 && i + 1 < n;
                i = Ascii.indexOf(s, i + 1, n, (byte) '%')) {
            if (s[i + 1] == '>') {
                pos = i + 2;
                return emit(TokenType.TAG_COMMENT, from, i - from, State.DATA);
            }
        }
        pos = n;
        return emit(TokenType.TAG_COMMENT, from, n - from, State.EOF);
    }

    private int markupDeclaration() {
        int remaining = n - pos;
        if (remaining >= 7 && startsWith("DOCTYPE", true)) {
            return go(State.DOCTYPE);
        }
        if (remaining >= 7 && startsWith("[CDATA[", false)) {
            pos += 7;
            return go(State.CDATA);
        }
        if (remaining >= 2 && s[pos] == '-' && s[pos + 1] == '-') {
            pos += 2;
            return go(State.COMMENT);
        }
        return go(State.BOGUS_COMMENT);
    }

    /** A comment ends at "-->" or "-!>", NULs allowed after the first dash, or at the input's end. */
    private int comment() {
        int from = pos;
        for (int dash = Ascii.indexOf(s, pos, n, (byte) '-'); dash >= 0 && dash <= n - 3;
                dash = Ascii.indexOf(s, dash + 1, n, (byte) '-')) {
            int i = dash + 1;
            while (i < n && s[i] == 0) {
                i++;
            }
            if (i == n) {
                break;
            }
            if (s[i] != '-' && s[i] != '!') {
                continue;
            }
            if (++i == n) {
                break;
            }
            if (s[i] == '>') {
                pos = i + 1;
                return emit(TokenType.TAG_COMMENT, from, dash - from, State.DATA);
            }
        }
        return emit(TokenType.TAG_COMMENT, from, n - from, State.EOF);
    }

    private int cdata() {
        int from = pos;
        for (int b = Ascii.indexOf(s, pos, n, (byte) ']'); b >= 0 && b <= n - 3;
                b = Ascii.indexOf(s, b + 1, n, (byte) ']')) {
            if (s[b + 1] == ']' && s[b + 2] == '>') {
                pos = b + 3;
                return emit(TokenType.DATA_TEXT, from, b - from, State.DATA);
            }
        }
        return emit(TokenType.DATA_TEXT, from, n - from, State.EOF);
    }

    private boolean startsWith(String prefix, boolean ignoreCase) {
        for (int i = 0; i < prefix.length(); i++) {
            char c = ignoreCase ? Ascii.upper(s[pos + i]) : (char) (s[pos + i] & 0xff);
            if (c != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
