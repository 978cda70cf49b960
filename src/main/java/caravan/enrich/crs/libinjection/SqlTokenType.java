package caravan.enrich.crs.libinjection;

/**
 * The kinds of SQL token libinjection distinguishes. Each has the one-character code that makes up a
 * fingerprint ("s&1UE" is string, logic operator, number, UNION, expression).
 */
enum SqlTokenType {
    NONE('\0'),
    KEYWORD('k'),
    UNION('U'),
    GROUP('B'),
    EXPRESSION('E'),
    SQLTYPE('t'),
    FUNCTION('f'),
    BAREWORD('n'),
    NUMBER('1'),
    VARIABLE('v'),
    STRING('s'),
    OPERATOR('o'),
    LOGIC_OPERATOR('&'),
    COMMENT('c'),
    COLLATE('A'),
    LEFT_PARENS('('),
    RIGHT_PARENS(')'),
    LEFT_BRACE('{'),
    RIGHT_BRACE('}'),
    DOT('.'),
    COMMA(','),
    COLON(':'),
    SEMICOLON(';'),
    TSQL('T'),
    UNKNOWN('?'),
    /** Input that cannot be parsed consistently (nested or MySQL-conditional comments): always SQLi. */
    EVIL('X'),
    BACKSLASH('\\');

    private static final SqlTokenType[] BY_CODE = new SqlTokenType[128];

    static {
        for (SqlTokenType t : values()) {
            if (t != NONE) {
                BY_CODE[t.code] = t;
            }
        }
    }

    final char code;

    SqlTokenType(char code) {
        this.code = code;
    }

    /** The type whose fingerprint code is {@code c}, e.g. the type column of the keyword table. */
    static SqlTokenType ofCode(char c) {
        SqlTokenType t = c < 128 ? BY_CODE[c] : null;
        if (t == null) {
            throw new IllegalArgumentException("unknown SQL token type code '" + c + "'");
        }
        return t;
    }

    boolean in(SqlTokenType a, SqlTokenType b) {
        return this == a || this == b;
    }

    boolean in(SqlTokenType a, SqlTokenType b, SqlTokenType c) {
        return this == a || this == b || this == c;
    }

    boolean in(SqlTokenType a, SqlTokenType b, SqlTokenType c, SqlTokenType d) {
        return this == a || this == b || this == c || this == d;
    }
}
