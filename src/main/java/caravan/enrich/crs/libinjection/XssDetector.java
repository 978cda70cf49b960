package caravan.enrich.crs.libinjection;

import caravan.enrich.crs.libinjection.Html5Tokenizer.Start;
import caravan.enrich.crs.libinjection.Html5Tokenizer.TokenType;
import java.util.List;
import java.util.Map;

/**
 * XSS detection: tokenize the input as HTML5 from each place reflected text can land (text, and
 * inside an unquoted, single-, double- or back-quoted attribute value) and flag what can run script:
 * a doctype, a dangerous tag, an event handler or other dangerous attribute, a script URL in a URL
 * attribute, and IE's conditional and XML comments.
 */
final class XssDetector {
    /** What an attribute's value can do. */
    private enum Attr { NONE, BLACK, URL, STYLE, INDIRECT }

    private static final List<String> BLACK_TAGS = List.of("APPLET", "BASE", "COMMENT", "EMBED", "FRAME",
            "FRAMESET", "HANDLER", "IFRAME", "IMPORT", "ISINDEX", "LINK", "LISTENER", "META", "NOSCRIPT", "OBJECT",
            "SCRIPT", "STYLE", "VMLFRAME", "XML", "XSS");

    private static final Map<String, Attr> BLACK_ATTRS = Map.ofEntries(Map.entry("ACTION", Attr.URL),
            Map.entry("ATTRIBUTENAME", Attr.INDIRECT), Map.entry("BY", Attr.URL), Map.entry("BACKGROUND", Attr.URL),
            Map.entry("DATAFORMATAS", Attr.BLACK), Map.entry("DATASRC", Attr.BLACK), Map.entry("DYNSRC", Attr.URL),
            Map.entry("FILTER", Attr.STYLE), Map.entry("FORMACTION", Attr.URL), Map.entry("FOLDER", Attr.URL),
            Map.entry("FROM", Attr.URL), Map.entry("HANDLER", Attr.URL), Map.entry("HREF", Attr.URL),
            Map.entry("LOWSRC", Attr.URL), Map.entry("POSTER", Attr.URL), Map.entry("SRC", Attr.URL),
            Map.entry("STYLE", Attr.STYLE), Map.entry("TO", Attr.URL), Map.entry("VALUES", Attr.URL),
            Map.entry("XLINK:HREF", Attr.URL));

    /** URL schemes that run or smuggle script; "JAVA" covers javascript: too. */
    private static final List<String> BLACK_SCHEMES = List.of("DATA", "VIEW-SOURCE", "JAVA", "VBSCRIPT");

    private XssDetector() {
    }

    static boolean isXss(byte[] s) {
        for (Start start : Start.values()) {
            if (isXss(s, start)) {
                return true;
            }
        }
        return false;
    }

    static boolean isXss(byte[] s, Start start) {
        Html5Tokenizer h = new Html5Tokenizer(s, start);
        Attr attr = Attr.NONE;
        while (h.next()) {
            if (h.type != TokenType.ATTR_VALUE) {
                attr = Attr.NONE;
            }
            switch (h.type) {
                case DOCTYPE -> {
                    return true;
                }
                case TAG_NAME_OPEN -> {
                    if (isBlackTag(s, h.start, h.length)) {
                        return true;
                    }
                }
                case ATTR_NAME -> attr = blackAttr(s, h.start, h.length);
                case ATTR_VALUE -> {
                    if (dangerousValue(attr, s, h.start, h.length)) {
                        return true;
                    }
                    attr = Attr.NONE;
                }
                case TAG_COMMENT -> {
                    if (isBlackComment(s, h.start, h.length)) {
                        return true;
                    }
                }
                default -> {
                }
            }
        }
        return false;
    }

    private static boolean dangerousValue(Attr attr, byte[] s, int from, int len) {
        return switch (attr) {
            case NONE -> false;
            case BLACK, STYLE -> true;
            case URL -> isBlackUrl(s, from, len);
            case INDIRECT -> blackAttr(s, from, len) != Attr.NONE; // SVG names the attribute in a value
        };
    }

    private static boolean isBlackTag(byte[] s, int from, int len) {
        if (len < 3) {
            return false;
        }
        for (String tag : BLACK_TAGS) {
            if (equalsIgnoringNul(tag, s, from, len)) {
                return true;
            }
        }
        return startsWith3(s, from, "SVG") || startsWith3(s, from, "XSL"); // anything SVG or XSL(T)
    }

    private static Attr blackAttr(byte[] s, int from, int len) {
        if (len < 2) {
            return Attr.NONE;
        }
        if (len >= 5) {
            boolean eventHandler = Ascii.upper(s[from]) == 'O' && Ascii.upper(s[from + 1]) == 'N';
            // XMLNS and XLINK can create arbitrary tags and links.
            if (eventHandler || equalsIgnoringNul("XMLNS", s, from, 5) || equalsIgnoringNul("XLINK", s, from, 5)) {
                return Attr.BLACK;
            }
        }
        for (Map.Entry<String, Attr> e : BLACK_ATTRS.entrySet()) {
            if (equalsIgnoringNul(e.getKey(), s, from, len)) {
                return e.getValue();
            }
        }
        return Attr.NONE;
    }

    private static boolean isBlackUrl(byte[] s, int from, int len) {
        int i = from;
        int end = from + len;
        // Leading controls, spaces and non-ASCII bytes (some browsers skip UTF-8 spaces) are ignored.
        while (i < end && ((s[i] & 0xff) <= 32 || (s[i] & 0xff) >= 127)) {
            i++;
        }
        for (String scheme : BLACK_SCHEMES) {
            if (HtmlEntities.decodedStartsWith(scheme, s, i, end)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isBlackComment(byte[] s, int from, int len) {
        if (Ascii.indexOf(s, from, from + len, (byte) '`') >= 0) {
            return true; // IE ends tags with a backquote
        }
        if (len > 3 && (s[from] == '[' && Ascii.upper(s[from + 1]) == 'I' && Ascii.upper(s[from + 2]) == 'F'
                || startsWith3(s, from, "XML"))) {
            return true; // IE conditional comment, XML processing instruction
        }
        // IE's <?import pseudo-tag, an XML entity definition
        return len > 5 && (equalsIgnoringNul("IMPORT", s, from, 6) || equalsIgnoringNul("ENTITY", s, from, 6));
    }

    private static boolean startsWith3(byte[] s, int from, String upper) {
        return Ascii.upper(s[from]) == upper.charAt(0) && Ascii.upper(s[from + 1]) == upper.charAt(1)
                && Ascii.upper(s[from + 2]) == upper.charAt(2);
    }

    /** {@code s[from, from+len)} with NUL bytes removed equals the upper-case word, ignoring case. */
    static boolean equalsIgnoringNul(String upper, byte[] s, int from, int len) {
        int k = 0;
        for (int i = from; i < from + len; i++) {
            if (s[i] == 0) {
                continue;
            }
            if (k >= upper.length() || Ascii.upper(s[i]) != upper.charAt(k)) {
                return false;
            }
            k++;
        }
        return k == upper.length();
    }
}
