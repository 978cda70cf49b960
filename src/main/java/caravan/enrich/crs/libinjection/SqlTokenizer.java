package caravan.enrich.crs.libinjection;

import static caravan.enrich.crs.libinjection.SqlTokenType.BACKSLASH;
import static caravan.enrich.crs.libinjection.SqlTokenType.BAREWORD;
import static caravan.enrich.crs.libinjection.SqlTokenType.COLON;
import static caravan.enrich.crs.libinjection.SqlTokenType.COMMENT;
import static caravan.enrich.crs.libinjection.SqlTokenType.EVIL;
import static caravan.enrich.crs.libinjection.SqlTokenType.FUNCTION;
import static caravan.enrich.crs.libinjection.SqlTokenType.NUMBER;
import static caravan.enrich.crs.libinjection.SqlTokenType.OPERATOR;
import static caravan.enrich.crs.libinjection.SqlTokenType.STRING;
import static caravan.enrich.crs.libinjection.SqlTokenType.UNKNOWN;
import static caravan.enrich.crs.libinjection.SqlTokenType.VARIABLE;

/**
 * The SQL tokenizer: the first byte of a token selects a {@link SqlLexeme} from a 256-entry table, and
 * each lexeme scans its token into the caller's slot. The input may be read as if it began inside a
 * single- or double-quoted string (the quote contexts), and with ANSI or MySQL comment rules.
 * Every scan advances by at least one byte and looks at each byte a bounded number of times.
 */
final class SqlTokenizer {
    private final byte[] s;
    private final int n;
    private byte quoteContext;
    private boolean mysql;
    private int pos;
    private SqlToken t;

    /** Tokens returned, and comment forms seen whose meaning differs between ANSI and MySQL. */
    int tokenCount;
    int ambiguousComments;

    SqlTokenizer(byte[] input) {
        this.s = input;
        this.n = input.length;
    }

    /** Start again at the beginning; {@code quote} is 0, '\'' or '"'. */
    void reset(byte quote, boolean mysqlComments) {
        quoteContext = quote;
        mysql = mysqlComments;
        pos = 0;
        tokenCount = 0;
        ambiguousComments = 0;
    }

    byte[] input() {
        return s;
    }

    /** Scans the next token into {@code slot}; false at the end of the input. */
    boolean next(SqlToken slot) {
        if (n == 0) {
            return false;
        }
        t = slot;
        t.clear();
        if (pos == 0 && quoteContext != 0) {
            pos = quoted(0, quoteContext, 0);
            tokenCount++;
            return true;
        }
        while (pos < n) {
            pos = scan(SqlLexeme.of(s[pos]), pos);
            if (t.type != SqlTokenType.NONE) {
                tokenCount++;
                return true;
            }
        }
        return false;
    }

    private int scan(SqlLexeme lexeme, int p) {
        return switch (lexeme) {
            case WHITE -> p + 1;
            case OPERATOR1 -> single(OPERATOR, p);
            case OPERATOR2 -> operator2(p);
            case BACKSLASH -> backslash(p);
            case DASH -> dash(p);
            case STRING -> quoted(p, s[p], 1);
            case HASH -> hash(p);
            case NUMBER -> SqlNumbers.scan(s, n, p, t);
            case SLASH -> slash(p);
            case PUNCTUATION -> single(SqlTokenType.ofCode((char) s[p]), p);
            case VARIABLE -> variable(p);
            case OTHER -> single(UNKNOWN, p);
            case MONEY -> money(p);
            case TICK -> tick(p);
            case U_STRING -> unicodeString(p);
            case Q_STRING -> oracleQuoted(p, p);
            case NQ_STRING -> p + 2 < n && s[p + 1] == '\'' ? prefixedString(p) : oracleQuoted(p, p + 1);
            case X_STRING -> literal(p, SqlLexeme.HEX);
            case B_STRING -> literal(p, SqlLexeme.BINARY);
            case E_STRING -> prefixedString(p);
            case BRACKET_WORD -> bracketWord(p);
            case WORD -> word(p);
        };
    }

    private int single(SqlTokenType type, int p) {
        t.setChar(type, p, s[p]);
        return p + 1;
    }

    private int toLineEnd(int p) {
        int nl = Ascii.indexOf(s, p, n, (byte) '\n');
        int end = nl < 0 ? n : nl;
        t.set(COMMENT, p, s, p, end - p);
        return nl < 0 ? n : nl + 1;
    }

    /** '#' is a comment in MySQL, an operator in ANSI SQL. */
    private int hash(int p) {
        ambiguousComments++;
        return mysql ? toLineEnd(p) : single(OPERATOR, p);
    }

    /** "--" then white space or the end is a comment everywhere; "--x" only outside MySQL. */
    private int dash(int p) {
        boolean dd = p + 1 < n && s[p + 1] == '-';
        if (dd && (p + 2 == n || SqlLexeme.WHITE_SPACE[s[p + 2] & 0xff])) {
            return toLineEnd(p);
        }
        if (dd && !mysql) {
            ambiguousComments++;
            return toLineEnd(p);
        }
        return single(OPERATOR, p);
    }

    /** C comments; nested ones and MySQL's executable "/*!" cannot be parsed reliably: EVIL. */
    private int slash(int p) {
        if (p + 1 == n || s[p + 1] != '*') {
            return single(OPERATOR, p);
        }
        int star = Ascii.indexOfPair(s, p + 2, n, (byte) '*', (byte) '/');
        int length = star < 0 ? n - p : star + 2 - p;
        boolean nested = star >= 0 && Ascii.indexOfPair(s, p + 2, star + 1, (byte) '/', (byte) '*') >= 0;
        boolean mysqlConditional = p + 2 < n && s[p + 2] == '!';
        t.set(nested || mysqlConditional ? EVIL : COMMENT, p, s, p, length);
        return p + length;
    }

    /** "\N" is MySQL's NULL. */
    private int backslash(int p) {
        if (p + 1 < n && s[p + 1] == 'N') {
            t.set(NUMBER, p, s, p, 2);
            return p + 2;
        }
        return single(BACKSLASH, p);
    }

    private int operator2(int p) {
        if (p + 1 >= n) {
            return single(OPERATOR, p);
        }
        if (p + 2 < n && s[p] == '<' && s[p + 1] == '=' && s[p + 2] == '>') {
            t.set(OPERATOR, p, s, p, 3);
            return p + 3;
        }
        SqlTokenType type = SqlKeywords.lookup(s, p, 2);
        if (type != null) {
            t.set(type, p, s, p, 2);
            return p + 2;
        }
        return single(s[p] == ':' ? COLON : OPERATOR, p);
    }

    /**
     * A string closed by {@code delim} starting {@code skip} bytes after {@code p} (0 for the
     * imagined opening quote of a quote context). A delimiter preceded by an odd number of
     * backslashes, or doubled, does not close it.
     */
    private int quoted(int p, byte delim, int skip) {
        int start = p + skip;
        t.open = skip > 0 ? delim : 0;
        int q = Ascii.indexOf(s, start, n, delim);
        while (q >= 0) {
            if (oddBackslashesBefore(q, start)) {
                q = Ascii.indexOf(s, q + 1, n, delim);
            } else if (q + 1 < n && s[q + 1] == delim) {
                q = Ascii.indexOf(s, q + 2, n, delim);
            } else {
                t.set(STRING, start, s, start, q - start);
                t.close = delim;
                return q + 1;
            }
        }
        t.set(STRING, start, s, start, n - start);
        t.close = 0;
        return n;
    }

    private boolean oddBackslashesBefore(int q, int start) {
        int i = q - 1;
        while (i >= start && s[i] == '\\') {
            i--;
        }
        return ((q - 1 - i) & 1) == 1;
    }

    /** E'..', N'..' (and fallbacks to a word). */
    private int prefixedString(int p) {
        if (p + 2 >= n || s[p + 1] != '\'') {
            return word(p);
        }
        return quoted(p, (byte) '\'', 2);
    }

    /** U&'..' */
    private int unicodeString(int p) {
        if (p + 2 < n && s[p + 1] == '&' && s[p + 2] == '\'') {
            int end = quoted(p + 2, (byte) '\'', 1);
            t.open = 'u';
            if (t.close == '\'') {
                t.close = 'u';
            }
            return end;
        }
        return word(p);
    }

    /** Oracle's q'Xtext X' and nq'..' strings; {@code q} is the index of the q. */
    private int oracleQuoted(int p, int q) {
        if (q >= n || (s[q] != 'q' && s[q] != 'Q') || q + 2 >= n || s[q + 1] != '\'') {
            return word(p);
        }
        int open = s[q + 2] & 0xff;
        if (open <= 32 || open >= 128) {
            return word(p);
        }
        byte close = (byte) switch (open) {
            case '(' -> ')';
            case '[' -> ']';
            case '{' -> '}';
            case '<' -> '>';
            default -> open;
        };
        int start = q + 3;
        int end = Ascii.indexOfPair(s, start, n, close, (byte) '\'');
        t.set(STRING, start, s, start, (end < 0 ? n : end) - start);
        t.open = 'q';
        t.close = (byte) (end < 0 ? 0 : 'q');
        return end < 0 ? n : end + 2;
    }

    /** x'hex' and b'binary' literals are numbers. */
    private int literal(int p, boolean[] digits) {
        if (p + 2 >= n || s[p + 1] != '\'') {
            return word(p);
        }
        int w = Ascii.span(s, p + 2, n, digits);
        if (p + 2 + w >= n || s[p + 2 + w] != '\'') {
            return word(p);
        }
        t.set(NUMBER, p, s, p, w + 3);
        return p + w + 3;
    }

    /** SQL Server's [bracketed name]. */
    private int bracketWord(int p) {
        int close = Ascii.indexOf(s, p, n, (byte) ']');
        int end = close < 0 ? n : close + 1;
        t.set(BAREWORD, p, s, p, end - p);
        return end;
    }

    private int word(int p) {
        int w = Ascii.span(s, p, n, SqlLexeme.WORD_PART);
        t.set(BAREWORD, p, s, p, w);
        // "SELECT.1" or "SELECT`x`": a keyword before a dot or backtick stands alone.
        for (int i = 0; i < t.len; i++) {
            byte c = t.text[i];
            if (c == '.' || c == '`') {
                SqlTokenType prefix = SqlKeywords.lookup(t.text, 0, i);
                if (prefix != null && prefix != BAREWORD) {
                    t.clear();
                    t.set(prefix, p, s, p, i);
                    return p + i;
                }
            }
        }
        if (w <= SqlToken.MAX_TEXT) {
            SqlTokenType type = SqlKeywords.lookup(t.text, 0, w);
            t.type = type == null ? BAREWORD : type;
        }
        return p + w;
    }

    /** MySQL backticks: a name, or a function when the name is one. */
    private int tick(int p) {
        int end = quoted(p, (byte) '`', 1);
        t.type = SqlKeywords.lookup(t.text, 0, t.len) == FUNCTION ? FUNCTION : BAREWORD;
        return end;
    }

    private int variable(int p) {
        int q = p + 1;
        if (q < n && s[q] == '@') {
            q++;
            t.atSigns = 2;
        } else {
            t.atSigns = 1;
        }
        if (q < n && s[q] == '`') {
            int end = tick(q);
            t.type = VARIABLE;
            return end;
        }
        if (q < n && (s[q] == '\'' || s[q] == '"')) {
            int end = quoted(q, s[q], 1);
            t.type = VARIABLE;
            return end;
        }
        int w = Ascii.span(s, q, n, SqlLexeme.VARIABLE_PART);
        t.set(VARIABLE, q, s, q, w);
        return q + w;
    }

    /** "$1,000.00" is a number, "$$..$$" and "$tag$..$tag$" are PostgreSQL strings. */
    private int money(int p) {
        if (p + 1 == n) {
            t.setChar(BAREWORD, p, (byte) '$');
            return n;
        }
        int digits = Ascii.span(s, p + 1, n, SqlLexeme.MONEY_DIGITS);
        if (digits == 1 && s[p + 1] == '.') {
            return word(p);
        }
        if (digits > 0) {
            t.set(NUMBER, p, s, p, digits + 1);
            return p + 1 + digits;
        }
        if (s[p + 1] == '$') {
            int end = Ascii.indexOfPair(s, p + 2, n, (byte) '$', (byte) '$');
            return dollarString(p + 2, end, 2);
        }
        int tag = Ascii.span(s, p + 1, n, SqlLexeme.LETTERS);
        if (tag == 0 || p + tag + 1 == n || s[p + tag + 1] != '$') {
            t.setChar(BAREWORD, p, (byte) '$');
            return p + 1;
        }
        // libinjection searches the closing $tag$ in [tag+2, n-p) and takes a hit before the body as
        // "unterminated"; the vectors follow that, so do we.
        int tagLen = tag + 2;
        int found = find(s, tagLen, n - p, p, tagLen);
        return dollarString(p + tagLen, found < p + tagLen ? -1 : found, tagLen);
    }

    private int dollarString(int start, int end, int closeLen) {
        t.set(STRING, start, s, start, (end < 0 ? n : end) - start);
        t.open = '$';
        t.close = (byte) (end < 0 ? 0 : '$');
        return end < 0 ? n : end + closeLen;
    }

    /** First index in [from, to) where the {@code len} bytes at {@code needle} occur wholly inside. */
    private static int find(byte[] s, int from, int to, int needle, int len) {
        outer:
        for (int i = from; i + len <= to; i++) {
            for (int j = 0; j < len; j++) {
                if (s[i + j] != s[needle + j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
