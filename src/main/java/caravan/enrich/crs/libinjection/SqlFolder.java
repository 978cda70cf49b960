package caravan.enrich.crs.libinjection;

import static caravan.enrich.crs.libinjection.SqlTokenType.BACKSLASH;
import static caravan.enrich.crs.libinjection.SqlTokenType.BAREWORD;
import static caravan.enrich.crs.libinjection.SqlTokenType.COLLATE;
import static caravan.enrich.crs.libinjection.SqlTokenType.COMMA;
import static caravan.enrich.crs.libinjection.SqlTokenType.COMMENT;
import static caravan.enrich.crs.libinjection.SqlTokenType.DOT;
import static caravan.enrich.crs.libinjection.SqlTokenType.EVIL;
import static caravan.enrich.crs.libinjection.SqlTokenType.EXPRESSION;
import static caravan.enrich.crs.libinjection.SqlTokenType.FUNCTION;
import static caravan.enrich.crs.libinjection.SqlTokenType.GROUP;
import static caravan.enrich.crs.libinjection.SqlTokenType.KEYWORD;
import static caravan.enrich.crs.libinjection.SqlTokenType.LEFT_BRACE;
import static caravan.enrich.crs.libinjection.SqlTokenType.LEFT_PARENS;
import static caravan.enrich.crs.libinjection.SqlTokenType.LOGIC_OPERATOR;
import static caravan.enrich.crs.libinjection.SqlTokenType.NONE;
import static caravan.enrich.crs.libinjection.SqlTokenType.NUMBER;
import static caravan.enrich.crs.libinjection.SqlTokenType.OPERATOR;
import static caravan.enrich.crs.libinjection.SqlTokenType.RIGHT_BRACE;
import static caravan.enrich.crs.libinjection.SqlTokenType.RIGHT_PARENS;
import static caravan.enrich.crs.libinjection.SqlTokenType.SEMICOLON;
import static caravan.enrich.crs.libinjection.SqlTokenType.SQLTYPE;
import static caravan.enrich.crs.libinjection.SqlTokenType.STRING;
import static caravan.enrich.crs.libinjection.SqlTokenType.TSQL;
import static caravan.enrich.crs.libinjection.SqlTokenType.UNION;
import static caravan.enrich.crs.libinjection.SqlTokenType.VARIABLE;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Token folding: reduces the token stream to at most {@link #MAX} tokens whose types form the
 * fingerprint. Pairs and triples that mean "one value" collapse ("1+1" is a number, "'a' 'b'" a
 * string, "UNION ALL" one keyword), leading comments and unary operators go, and a trailing comment
 * is kept. {@code left} counts settled tokens, {@code pos} is where the next token goes; a fold that
 * can enable another one restarts at the left edge.
 */
final class SqlFolder {
    static final int MAX = 5;

    private static final Set<SqlTokenType> MERGEABLE = EnumSet.of(KEYWORD, BAREWORD, OPERATOR, UNION, FUNCTION,
            EXPRESSION, TSQL, SQLTYPE);
    private static final Set<SqlTokenType> TYPE_CAST_OPERAND = EnumSet.of(BAREWORD, NUMBER, SQLTYPE, LEFT_PARENS,
            FUNCTION, VARIABLE, STRING);
    private static final Set<SqlTokenType> VALUE = EnumSet.of(BAREWORD, NUMBER, STRING, VARIABLE);
    /** Names that are functions only when a '(' follows: common column names otherwise. */
    private static final List<String> FUNCTION_IF_CALLED = List.of("USER_ID", "USER_NAME", "DATABASE", "PASSWORD",
            "USER", "CURRENT_USER", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME",
            "LOCALTIMESTAMP");

    final SqlToken[] tokens = new SqlToken[MAX + 3];
    private final SqlToken lastComment = new SqlToken();
    private final byte[] mergeBuffer = new byte[SqlToken.MAX_TEXT];
    private final SqlTokenizer tokenizer;
    private boolean more;

    SqlFolder(SqlTokenizer tokenizer) {
        this.tokenizer = tokenizer;
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = new SqlToken();
        }
    }

    /**
     * Folds the whole input (tokenizer already reset) and returns the number of tokens kept: at most
     * {@link #MAX}, one more when folding stops at an EVIL token (the fingerprint is then "X").
     */
    int fold() {
        for (SqlToken t : tokens) {
            t.clear();
        }
        lastComment.clear();
        more = true;
        while (more) {
            more = tokenizer.next(tokens[0]);
            SqlToken t = tokens[0];
            if (!(t.type == COMMENT || t.type == LEFT_PARENS || t.type == SQLTYPE || t.isUnaryOperator())) {
                break;
            }
        }
        if (!more) {
            return 0;
        }
        int pos = 1;
        int left = 0;
        while (true) {
            if (pos >= MAX && isShortCall()) {
                // Things like "1,(2)" or "foo(1)" say nothing yet: keep only the beginning and go on.
                if (pos > MAX) {
                    tokens[1].copyFrom(tokens[MAX]);
                    pos = 2;
                } else {
                    pos = 1;
                }
                left = 0;
            }
            if (!more || left >= MAX) {
                left = pos;
                break;
            }
            pos = fill(pos, left, 2);
            if (pos - left < 2) {
                left = pos;
                continue;
            }
            int r = foldPair(tokens[left], tokens[left + 1], pos, left);
            if (r == EVIL_FOUND) {
                return left + 2;
            }
            if (r == NO_FOLD_RESET_LEFT) {
                left = 0;
            } else if (r != NO_FOLD) {
                pos = r >> 8;
                left = r & 0xff;
                continue;
            }
            pos = fill(pos, left, 3);
            if (pos - left < 3) {
                left = pos;
                continue;
            }
            r = foldTriple(tokens[left], tokens[left + 1], tokens[left + 2], pos);
            if (r != NO_FOLD) {
                pos = r >> 8;
                left = r & 0xff;
                continue;
            }
            left += 1;
        }
        if (left < MAX && lastComment.type == COMMENT) {
            tokens[left].copyFrom(lastComment);
            left += 1;
        }
        return Math.min(left, MAX);
    }

    private static final int NO_FOLD = -1;
    private static final int EVIL_FOUND = -2;

    private static int next(int pos, int left) {
        return (pos << 8) | left;
    }

    /** Reads tokens until {@code want} follow {@code left}; comments are set aside, not counted. */
    private int fill(int pos, int left, int want) {
        while (more && pos <= MAX && pos - left < want) {
            SqlToken slot = tokens[pos];
            more = tokenizer.next(slot);
            if (more) {
                if (slot.type == COMMENT) {
                    lastComment.copyFrom(slot);
                } else {
                    lastComment.type = NONE;
                    pos += 1;
                }
            }
        }
        return pos;
    }

    private boolean isShortCall() {
        SqlTokenType t0 = tokens[0].type;
        SqlTokenType t1 = tokens[1].type;
        SqlTokenType t2 = tokens[2].type;
        SqlTokenType t3 = tokens[3].type;
        SqlTokenType t4 = tokens[4].type;
        return (t0 == NUMBER && t1.in(OPERATOR, COMMA) && t2 == LEFT_PARENS && t3 == NUMBER && t4 == RIGHT_PARENS)
                || (t0 == BAREWORD && t1 == OPERATOR && t2 == LEFT_PARENS && t3.in(BAREWORD, NUMBER)
                        && t4 == RIGHT_PARENS)
                || (t0 == NUMBER && t1 == RIGHT_PARENS && t2 == COMMA && t3 == LEFT_PARENS && t4 == NUMBER)
                || (t0 == BAREWORD && t1 == RIGHT_PARENS && t2 == OPERATOR && t3 == LEFT_PARENS && t4 == BAREWORD);
    }

    /** Two-token rules; returns the new (pos, left), NO_FOLD to try three tokens, or EVIL_FOUND. */
    private int foldPair(SqlToken a, SqlToken b, int pos, int left) {
        SqlTokenType ta = a.type;
        SqlTokenType tb = b.type;
        if ((ta == STRING && tb == STRING) || (ta == SEMICOLON && tb == SEMICOLON)) {
            return next(pos - 1, left); // "'a' 'b'" is one string; ";;" one semicolon
        }
        if (ta.in(OPERATOR, LOGIC_OPERATOR) && (b.isUnaryOperator() || tb == SQLTYPE)) {
            return next(pos - 1, 0);
        }
        if ((ta == LEFT_PARENS && b.isUnaryOperator()) || mergeWords(a, b)) {
            return next(pos - 1, Math.max(left - 1, 0));
        }
        if (ta == SEMICOLON && tb == FUNCTION && b.startsWith("IF")) {
            b.type = TSQL; // "; IF 1=1": Transact-SQL control flow
            return next(pos, left);
        }
        if (ta.in(BAREWORD, VARIABLE) && tb == LEFT_PARENS && isAnyOf(a, FUNCTION_IF_CALLED)) {
            a.type = FUNCTION;
            return next(pos, left);
        }
        if (ta == KEYWORD && (a.is("IN") || a.is("NOT IN"))) {
            a.type = tb == LEFT_PARENS ? OPERATOR : BAREWORD;
            return next(pos, left);
        }
        if (ta == OPERATOR && (a.is("LIKE") || a.is("NOT LIKE"))) {
            if (tb == LEFT_PARENS) {
                a.type = FUNCTION;
            }
            return NO_FOLD;
        }
        if (ta == SQLTYPE && TYPE_CAST_OPERAND.contains(tb)) {
            a.copyFrom(b);
            return next(pos - 1, 0);
        }
        if (ta == COLLATE && tb == BAREWORD) {
            if (b.textAsString().indexOf('_') >= 0) {
                b.type = SQLTYPE; // a collation name
                return NO_FOLD_RESET_LEFT;
            }
            return NO_FOLD;
        }
        if (ta == BACKSLASH) {
            if (b.isArithmeticOperator()) {
                a.type = NUMBER; // T-SQL reads "\%1" as "0 % 1"
                return next(pos, 0);
            }
            a.copyFrom(b);
            return next(pos - 1, 0);
        }
        if ((ta == LEFT_PARENS && tb == LEFT_PARENS) || (ta == RIGHT_PARENS && tb == RIGHT_PARENS)) {
            return next(pos - 1, 0);
        }
        if (ta == LEFT_BRACE && tb == BAREWORD) {
            if (b.len == 0) {
                b.type = EVIL; // MySQL's "{``.``.id}"
                return EVIL_FOUND;
            }
            return next(pos - 2, 0); // ODBC "{foo expr}" is expr
        }
        if (tb == RIGHT_BRACE) {
            return next(pos - 1, 0);
        }
        return NO_FOLD;
    }

    private static final int NO_FOLD_RESET_LEFT = -3;

    private static boolean isAnyOf(SqlToken t, List<String> words) {
        for (String w : words) {
            if (t.is(w)) {
                return true;
            }
        }
        return false;
    }

    /** Three-token rules; returns the new (pos, left) or NO_FOLD. */
    private int foldTriple(SqlToken a, SqlToken b, SqlToken c, int pos) {
        SqlTokenType ta = a.type;
        SqlTokenType tb = b.type;
        SqlTokenType tc = c.type;
        boolean collapse = (ta == NUMBER && tb == OPERATOR && tc == NUMBER)
                || (ta == OPERATOR && tb != LEFT_PARENS && tc == OPERATOR)
                || (ta == LOGIC_OPERATOR && tc == LOGIC_OPERATOR)
                || (ta == VARIABLE && tb == OPERATOR && tc.in(VARIABLE, NUMBER, BAREWORD))
                || (ta.in(BAREWORD, NUMBER) && tb == OPERATOR && tc.in(NUMBER, BAREWORD))
                || (VALUE.contains(ta) && tb == OPERATOR && b.len == 2 && b.is("::") && tc == SQLTYPE)
                || (VALUE.contains(ta) && tb == COMMA && VALUE.contains(tc))
                || (ta == BAREWORD && tb == DOT && tc == BAREWORD);
        if (collapse) {
            return next(pos - 2, 0); // "1+1", "a.b", "x::int", "1,2": the first token stands for all
        }
        boolean unary = b.isUnaryOperator();
        if ((ta.in(EXPRESSION, GROUP, COMMA) && unary && tc == LEFT_PARENS)
                || (ta.in(KEYWORD, EXPRESSION, GROUP) && unary && (VALUE.contains(tc) || tc == FUNCTION))
                || (ta == COMMA && unary && tc == FUNCTION)
                || (ta == EXPRESSION && tb == DOT && tc == BAREWORD)) {
            b.copyFrom(c); // drop the unary operator ("SELECT -1") or the dot ("SELECT .`foo`")
            return next(pos - 1, 0);
        }
        if (ta == COMMA && unary && VALUE.contains(tc)) {
            b.copyFrom(c); // ", -1" is ",1", and back up to fold "1,-1" further
            return next(pos - 3, 0);
        }
        if (ta == FUNCTION && tb == LEFT_PARENS && tc != RIGHT_PARENS && a.is("USER")) {
            a.type = BAREWORD; // USER() takes no arguments, so "user(x)" is no call of it
        }
        return NO_FOLD;
    }

    /** "UNION" + "ALL" and the like are one keyword when the keyword table knows the pair. */
    private boolean mergeWords(SqlToken a, SqlToken b) {
        if (!MERGEABLE.contains(a.type) || !(MERGEABLE.contains(b.type) || b.type == LOGIC_OPERATOR)) {
            return false;
        }
        int merged = a.len + b.len + 1;
        if (merged > SqlToken.MAX_TEXT) {
            return false;
        }
        byte[] tmp = mergeBuffer;
        System.arraycopy(a.text, 0, tmp, 0, a.len);
        tmp[a.len] = ' ';
        System.arraycopy(b.text, 0, tmp, a.len + 1, b.len);
        SqlTokenType type = SqlKeywords.lookup(tmp, 0, merged);
        if (type == null) {
            return false;
        }
        a.set(type, a.pos, tmp, 0, merged);
        return true;
    }
}
