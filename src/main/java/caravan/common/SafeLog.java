package caravan.common;

/**
 * Escapes text that came from log lines before Caravan writes it into its own log, so a crafted
 * line cannot forge log entries (CR/LF) or terminal escapes.
 */
public final class SafeLog {
    private static final int MAX = 512;

    private SafeLog() {
    }

    public static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX) + 16);
        for (int i = 0; i < s.length() && i < MAX; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        if (s.length() > MAX) {
            sb.append("...(").append(s.length()).append(" chars)");
        }
        return sb.toString();
    }
}
