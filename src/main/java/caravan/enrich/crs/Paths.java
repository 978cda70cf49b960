package caravan.enrich.crs;

import java.util.ArrayList;
import java.util.List;

/** {@code t:normalizePath}: {@code .}, {@code ..} and doubled slashes resolved, as a server would. */
final class Paths {
    private Paths() {
    }

    static String normalize(String s, boolean windows) {
        if (windows) {
            s = s.replace('\\', '/');
        }
        if (!s.contains("//") && !s.contains("/.") && !s.startsWith(".")) {
            return s;
        }
        boolean absolute = s.startsWith("/");
        boolean trailing = s.endsWith("/") || s.endsWith("/.") || s.endsWith("/..");
        List<String> stack = new ArrayList<>();
        int leadingUp = 0;
        for (String seg : s.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!stack.isEmpty()) {
                    stack.remove(stack.size() - 1);
                } else if (!absolute) {
                    leadingUp++;
                }
                continue;
            }
            stack.add(seg);
        }
        StringBuilder out = new StringBuilder(s.length());
        if (absolute) {
            out.append('/');
        }
        for (int i = 0; i < leadingUp; i++) {
            out.append("../");
        }
        out.append(String.join("/", stack));
        if (trailing && !stack.isEmpty()) {
            out.append('/');
        }
        return out.toString();
    }
}
