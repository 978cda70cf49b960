package caravan.enrich.crs.libinjection;

import static caravan.enrich.crs.libinjection.SqlTokenType.BAREWORD;
import static caravan.enrich.crs.libinjection.SqlTokenType.COMMENT;
import static caravan.enrich.crs.libinjection.SqlTokenType.EVIL;
import static caravan.enrich.crs.libinjection.SqlTokenType.KEYWORD;
import static caravan.enrich.crs.libinjection.SqlTokenType.NONE;
import static caravan.enrich.crs.libinjection.SqlTokenType.NUMBER;

import java.util.Set;

/**
 * SQLi detection for one input: fingerprint it in each context where an attacker's text could sit
 * (as-is, after a single quote, after a double quote; ANSI then MySQL comment rules where they
 * differ), look the fingerprint up in libinjection's list, and veto the short fingerprints that
 * ordinary text produces too. Not thread-safe; one instance per call.
 */
final class SqliDetector {
    /** Three-token fingerprints that need more than the bare three tokens to be SQLi ("sexy and 17"). */
    private static final Set<String> NEED_FOLDING = Set.of("s&n", "n&1", "1&1", "1&v", "1&s");

    private final SqlTokenizer tokenizer;
    private final SqlFolder folder;
    private String fingerprint = "";
    private int count;

    SqliDetector(byte[] input) {
        tokenizer = new SqlTokenizer(input);
        folder = new SqlFolder(tokenizer);
    }

    /** The fingerprint if the input is SQLi, otherwise null. */
    String detect() {
        byte[] s = tokenizer.input();
        if (s.length == 0) {
            return null;
        }
        if (matches((byte) 0, false) || tokenizer.ambiguousComments > 0 && matches((byte) 0, true)) {
            return fingerprint;
        }
        if (contains(s, (byte) '\'')
                && (matches((byte) '\'', false) || tokenizer.ambiguousComments > 0 && matches((byte) '\'', true))) {
            return fingerprint;
        }
        if (contains(s, (byte) '"') && matches((byte) '"', true)) {
            return fingerprint;
        }
        return null;
    }

    /** Fingerprints the input in one context and tells whether that fingerprint is SQLi. */
    boolean matches(byte quote, boolean mysql) {
        fingerprint(quote, mysql);
        return SqlKeywords.isFingerprint(fingerprint) && !looksBenign();
    }

    String fingerprint(byte quote, boolean mysql) {
        tokenizer.reset(quote, mysql);
        count = folder.fold();
        SqlToken[] tokens = folder.tokens;
        // PHP's "`" can end a query like a comment: an unclosed empty backtick name at the end.
        SqlToken last = count > 0 ? tokens[count - 1] : null;
        if (count > 2 && last.type == BAREWORD && last.open == '`' && last.len == 0 && last.close == 0) {
            last.type = COMMENT;
        }
        StringBuilder fp = new StringBuilder(count);
        boolean evil = false;
        for (int i = 0; i < count; i++) {
            fp.append(tokens[i].type.code);
            evil |= tokens[i].type == EVIL;
        }
        if (evil) {
            // Unparseable input (nested comments and the like) is reported as the lone fingerprint X.
            tokens[0].type = EVIL;
            tokens[0].text[0] = 'X';
            tokens[1].type = NONE;
            count = 1;
            fingerprint = "X";
        } else {
            fingerprint = fp.toString();
        }
        return fingerprint;
    }

    /** libinjection's vetoes against false positives on short fingerprints. */
    private boolean looksBenign() {
        byte[] s = tokenizer.input();
        SqlToken[] t = folder.tokens;
        int len = fingerprint.length();
        // MS SQL's audit log hides statements mentioning sp_password: a known evasion, never benign.
        if (len > 1 && fingerprint.charAt(len - 1) == COMMENT.code && indexOf(s, SP_PASSWORD) >= 0) {
            return false;
        }
        if (len == 2) {
            return twoTokensBenign(s, t);
        }
        if (len == 3) {
            if (fingerprint.equals("sos") || fingerprint.equals("s&s")) {
                // Only "..foo' + 'bar.." with both outer quotes missing is an injected concatenation.
                return !(t[0].open == 0 && t[2].close == 0 && t[0].close == t[2].open);
            }
            if (NEED_FOLDING.contains(fingerprint)) {
                return tokenizer.tokenCount == 3;
            }
            if (t[1].type == KEYWORD) {
                return t[1].len < 5 || !t[1].startsWith("INTO"); // INTO OUTFILE / DUMPFILE are SQLi
            }
        }
        return false;
    }

    private boolean twoTokensBenign(byte[] s, SqlToken[] t) {
        if (fingerprint.charAt(1) == 'U') {
            return tokenizer.tokenCount == 2; // a bare "1 union" is common text
        }
        if (t[1].at(0) == '#') {
            return true;
        }
        if (t[0].type == BAREWORD && t[1].type == COMMENT && t[1].at(0) != '/') {
            return true; // "foo --" and "foo #" are prose
        }
        if (t[0].type == NUMBER && t[1].type == COMMENT) {
            if (t[1].at(0) == '/' || tokenizer.tokenCount > 2) {
                return false;
            }
            // "1234 --" is SQLi but base64-ish "1234-ABCD--" is not: look right after the number.
            byte next = byteAt(s, t[0].len);
            byte after = byteAt(s, t[0].len + 1);
            return !(next <= 32 || (next == '/' && after == '*') || (next == '-' && after == '-'));
        }
        // Plain text often has "--" inside; only a trailing "--" counts.
        return t[1].len > 2 && t[1].at(0) == '-';
    }

    private static final byte[] SP_PASSWORD = "sp_password".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Signed, as libinjection compares: bytes >= 0x80 count as below 32. */
    private static byte byteAt(byte[] s, int i) {
        return i < s.length ? s[i] : 0;
    }

    private static boolean contains(byte[] s, byte c) {
        return Ascii.indexOf(s, 0, s.length, c) >= 0;
    }

    private static int indexOf(byte[] s, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= s.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (s[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
