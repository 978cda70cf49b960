package caravan.enrich.crs.libinjection;

import java.util.Arrays;

/** What the first byte of a SQL token starts: the tokenizer's dispatch table, plus its byte sets. */
enum SqlLexeme {
    WHITE, OPERATOR1, OPERATOR2, BACKSLASH, DASH, STRING, HASH, NUMBER, SLASH, PUNCTUATION, VARIABLE,
    OTHER, MONEY, TICK, U_STRING, Q_STRING, NQ_STRING, X_STRING, B_STRING, E_STRING, BRACKET_WORD, WORD;

    private static final SqlLexeme[] BY_BYTE = new SqlLexeme[256];

    // Every set includes NUL: libinjection's span functions always count NUL as a member.
    static final boolean[] WHITE_SPACE = Ascii.set(" \t\n\u000b\f\r\u00a0\0");
    static final boolean[] WORD_PART = complement(" []{}<>:\\?=@!#~+-*/&|^%(),';\t\n\u000b\f\r\"\u00a0\0");
    static final boolean[] VARIABLE_PART = complement(" <>:\\?=@!#~+-*/&|^%(),';\t\n\u000b\f\r'`\"\0");
    static final boolean[] BINARY = Ascii.set("01\0");
    static final boolean[] HEX = Ascii.set("0123456789ABCDEFabcdef\0");
    static final boolean[] MONEY_DIGITS = Ascii.set("0123456789.,\0");
    static final boolean[] LETTERS = Ascii.set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ\0");

    static {
        Arrays.fill(BY_BYTE, WORD); // letters, '_' and bytes >= 0x80
        for (int c = 0; c <= 32; c++) {
            BY_BYTE[c] = WHITE;
        }
        BY_BYTE[127] = WHITE;
        BY_BYTE[0xa0] = WHITE; // Latin-1 no-break space
        assign("%^+~", OPERATOR1);
        assign("!&*:<=>|", OPERATOR2);
        assign(".0123456789", NUMBER);
        assign(";,(){}", PUNCTUATION);
        assign("?]", OTHER);
        assign("\"'", STRING);
        assign("\\", BACKSLASH);
        assign("-", DASH);
        assign("#", HASH);
        assign("/", SLASH);
        assign("@", VARIABLE);
        assign("$", MONEY);
        assign("`", TICK);
        assign("[", BRACKET_WORD);
        assign("Uu", U_STRING);
        assign("Qq", Q_STRING);
        assign("Nn", NQ_STRING);
        assign("Xx", X_STRING);
        assign("Bb", B_STRING);
        assign("Ee", E_STRING);
    }

    static SqlLexeme of(byte b) {
        return BY_BYTE[b & 0xff];
    }

    private static void assign(String chars, SqlLexeme lexeme) {
        for (int i = 0; i < chars.length(); i++) {
            BY_BYTE[chars.charAt(i)] = lexeme;
        }
    }

    private static boolean[] complement(String chars) {
        boolean[] set = Ascii.set(chars);
        for (int i = 0; i < set.length; i++) {
            set[i] = !set[i];
        }
        return set;
    }
}
