package caravan.enrich.crs.libinjection;

import static caravan.enrich.crs.libinjection.SqlTokenType.BAREWORD;
import static caravan.enrich.crs.libinjection.SqlTokenType.DOT;
import static caravan.enrich.crs.libinjection.SqlTokenType.NUMBER;

/** Numeric literals: decimal, 0x/0b, exponents, Oracle's d/f suffixes; a lone '.' is a dot. */
final class SqlNumbers {
    private SqlNumbers() {
    }

    /** Scans the number starting at {@code s[p]} into {@code t} and returns the index after it. */
    static int scan(byte[] s, int n, int p, SqlToken t) {
        if (s[p] == '0' && p + 1 < n) {
            byte x = s[p + 1];
            boolean[] digits = x == 'x' || x == 'X' ? SqlLexeme.HEX : x == 'b' || x == 'B' ? SqlLexeme.BINARY
                    : null;
            if (digits != null) {
                int w = Ascii.span(s, p + 2, n, digits);
                t.set(w == 0 ? BAREWORD : NUMBER, p, s, p, 2 + w);
                return p + 2 + w;
            }
        }
        int i = p;
        while (i < n && Ascii.isDigit(s[i])) {
            i++;
        }
        if (i < n && s[i] == '.') {
            i++;
            while (i < n && Ascii.isDigit(s[i])) {
                i++;
            }
            if (i - p == 1) {
                t.setChar(DOT, p, (byte) '.');
                return i;
            }
        }
        boolean exponent = false;
        boolean exponentDigits = false;
        if (i < n && (s[i] == 'e' || s[i] == 'E')) {
            exponent = true;
            i++;
            if (i < n && (s[i] == '+' || s[i] == '-')) {
                i++;
            }
            while (i < n && Ascii.isDigit(s[i])) {
                exponentDigits = true;
                i++;
            }
        }
        // Oracle's float/double suffix, taken when what follows cannot continue a word ("1fUNION" too).
        if (i < n && (s[i] == 'd' || s[i] == 'D' || s[i] == 'f' || s[i] == 'F')) {
            byte after = i + 1 < n ? s[i + 1] : 0;
            if (i + 1 == n || SqlLexeme.WHITE_SPACE[after & 0xff] || after == ';' || after == 'u' || after == 'U') {
                i++;
            }
        }
        // "1234.e" is a word, not a number.
        t.set(exponent && !exponentDigits ? BAREWORD : NUMBER, p, s, p, i - p);
        return i;
    }
}
