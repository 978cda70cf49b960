package caravan.enrich.crs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * The {@code t:} transformations, by their lower-case SecLang name. All work on byte strings
 * ({@link Bytes}) in one bounded pass; an unknown name is a start-up error.
 */
final class Transforms {
    private Transforms() {
    }

    /** The transformation called {@code name}, or null if Caravan does not know it. */
    static UnaryOperator<String> named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "lowercase" -> Transforms::lowercase;
            case "uppercase" -> s -> s.toUpperCase(Locale.ROOT);
            case "urldecode" -> s -> Decoders.urlDecode(s, false);
            case "urldecodeuni" -> s -> Decoders.urlDecode(s, true);
            case "htmlentitydecode" -> Decoders::htmlEntityDecode;
            case "jsdecode" -> Decoders::jsDecode;
            case "cssdecode" -> Decoders::cssDecode;
            case "escapeseqdecode" -> Decoders::escapeSeqDecode;
            case "utf8tounicode" -> Decoders::utf8toUnicode;
            case "cmdline" -> Transforms::cmdLine;
            case "compresswhitespace" -> Transforms::compressWhitespace;
            case "removewhitespace" -> s -> remove(s, Bytes::isSpace);
            case "removenulls" -> s -> remove(s, c -> c == 0);
            case "replacenulls" -> s -> s.replace('\0', ' ');
            case "replacecomments" -> Comments::replace;
            case "removecomments" -> Comments::remove;
            case "removecommentschar" -> Comments::removeChars;
            case "normalizepath", "normalisepath" -> s -> Paths.normalize(s, false);
            case "normalizepathwin", "normalisepathwin" -> s -> Paths.normalize(s, true);
            case "base64decode", "base64decodeext" -> Transforms::base64Decode;
            case "base64encode" -> s -> latin1(Base64.getEncoder().encode(s.getBytes(StandardCharsets.ISO_8859_1)));
            case "hexdecode" -> Transforms::hexDecode;
            case "hexencode" -> Transforms::hexEncode;
            case "sqlhexdecode" -> Transforms::sqlHexDecode;
            case "sha1" -> s -> digest("SHA-1", s);
            case "md5" -> s -> digest("MD5", s);
            case "length" -> s -> Integer.toString(s.length());
            case "trim" -> String::strip;
            case "trimleft" -> String::stripLeading;
            case "trimright" -> String::stripTrailing;
            case "none" -> UnaryOperator.identity();
            default -> null;
        };
    }

    static String lowercase(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                char[] a = s.toCharArray();
                for (int k = i; k < a.length; k++) {
                    if (a[k] >= 'A' && a[k] <= 'Z') {
                        a[k] += 'a' - 'A';
                    }
                }
                return new String(a);
            }
        }
        return s;
    }

    interface CharTest {
        boolean test(char c);
    }

    static String remove(String s, CharTest drop) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (drop.test(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length()).append(s, 0, i);
                }
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    static String compressWhitespace(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Bytes.isSpace(c)) {
                if (!space) {
                    out.append(' ');
                }
                space = true;
            } else {
                out.append(c);
                space = false;
            }
        }
        return out.length() == s.length() ? s : out.toString();
    }

    /**
     * What a shell would see: {@code \ " ' ^} dropped, spaces before {@code / (} dropped, {@code , ;}
     * as spaces, whitespace runs as one space, lower-cased.
     */
    static String cmdLine(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\', '"', '\'', '^' -> {
                }
                case ' ', ',', ';', '\t', '\r', '\n' -> {
                    if (!space) {
                        out.append(' ');
                        space = true;
                    }
                }
                case '/', '(' -> {
                    if (space) {
                        out.setLength(out.length() - 1);
                    }
                    out.append(c);
                    space = false;
                }
                default -> {
                    out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
                    space = false;
                }
            }
        }
        return out.toString();
    }

    /** Decodes the base64 characters up to the first that is not one, padding optional. */
    static String base64Decode(String s) {
        StringBuilder clean = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/') {
                clean.append(c);
            } else if (c != '=' && !Bytes.isSpace(c)) {
                break;
            }
        }
        int usable = clean.length() % 4 == 1 ? clean.length() - 1 : clean.length();
        try {
            return latin1(Base64.getDecoder().decode(pad(clean.substring(0, usable))));
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String pad(String b64) {
        int r = b64.length() % 4;
        return r == 0 ? b64 : b64 + "==".substring(0, 4 - r);
    }

    static String hexDecode(String s) {
        StringBuilder out = new StringBuilder(s.length() / 2);
        for (int i = 0; i + 1 < s.length(); i += 2) {
            if (!Bytes.isHex(s, i, 2)) {
                return s;
            }
            out.append((char) Bytes.hexValue(s, i, 2));
        }
        return out.toString();
    }

    static String hexEncode(String s) {
        StringBuilder out = new StringBuilder(s.length() * 2);
        for (int i = 0; i < s.length(); i++) {
            out.append(Character.forDigit(s.charAt(i) >> 4 & 0xf, 16)).append(Character.forDigit(s.charAt(i) & 0xf, 16));
        }
        return out.toString();
    }

    /** {@code 0x414243} to {@code ABC}, as MySQL reads hex literals. */
    static String sqlHexDecode(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) == '0' && i + 3 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')
                    && Bytes.isHex(s, i + 2, 2)) {
                i += 2;
                while (Bytes.isHex(s, i, 2)) {
                    out.append((char) Bytes.hexValue(s, i, 2));
                    i += 2;
                }
                i--;
            } else {
                out.append(s.charAt(i));
            }
        }
        return out.toString();
    }

    private static String digest(String algorithm, String s) {
        try {
            return latin1(MessageDigest.getInstance(algorithm).digest(s.getBytes(StandardCharsets.ISO_8859_1)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " missing from the JDK", e);
        }
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
