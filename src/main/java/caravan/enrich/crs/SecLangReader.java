package caravan.enrich.crs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a ModSecurity rule file (SecLang) into directives: comments and blank lines dropped,
 * lines ending in a backslash joined, each directive cut into its name and arguments the way
 * Apache reads a configuration line (whitespace separates, double quotes group, and inside them
 * only {@code \"} is an escape: every other backslash stays, as regexes need it).
 */
public final class SecLangReader {
    /** One directive, where it starts in its file. */
    public record Directive(Path file, int line, String name, List<String> args) {
        String where() {
            return file.getFileName() + ":" + line;
        }
    }

    private SecLangReader() {
    }

    public static List<Directive> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CrsException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(file, lines);
    }

    static List<Directive> parse(Path file, List<String> lines) {
        List<Directive> out = new ArrayList<>();
        StringBuilder joined = new StringBuilder();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (start < 0) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                start = i + 1;
            }
            String t = line.stripTrailing();
            if (t.endsWith("\\")) {
                joined.append(t, 0, t.length() - 1);
                continue;
            }
            joined.append(t);
            Directive d = directive(file, start, joined.toString());
            if (d != null) {
                out.add(d);
            }
            joined.setLength(0);
            start = -1;
        }
        if (start >= 0) {
            throw new CrsException(file.getFileName() + ":" + start + ": the directive's last line ends in a backslash");
        }
        return out;
    }

    private static Directive directive(Path file, int line, String text) {
        List<String> words = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            StringBuilder w = new StringBuilder();
            if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && text.charAt(j) != c) {
                    if (text.charAt(j) == '\\' && j + 1 < n && text.charAt(j + 1) == c) {
                        j++;
                    }
                    w.append(text.charAt(j++));
                }
                if (j >= n) {
                    throw new CrsException(file.getFileName() + ":" + line + ": unterminated quote " + c);
                }
                i = j + 1;
            } else {
                while (i < n && !Character.isWhitespace(text.charAt(i))) {
                    w.append(text.charAt(i++));
                }
            }
            words.add(w.toString());
        }
        if (words.isEmpty()) {
            return null; // only blanks, once continuations are joined
        }
        return new Directive(file, line, words.get(0), List.copyOf(words.subList(1, words.size())));
    }

    /**
     * Splits a rule's action list at the commas outside single quotes; each action is
     * {@code name} or {@code name:value}, the value unquoted.
     */
    static List<String[]> actions(String text, String where) {
        List<String[]> out = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (Character.isWhitespace(text.charAt(i)) || text.charAt(i) == ',')) {
                i++;
            }
            if (i >= n) {
                break;
            }
            int nameStart = i;
            while (i < n && text.charAt(i) != ':' && text.charAt(i) != ',') {
                i++;
            }
            String name = text.substring(nameStart, i).strip();
            String value = null;
            if (i < n && text.charAt(i) == ':') {
                i++;
                while (i < n && text.charAt(i) == ' ') {
                    i++;
                }
                StringBuilder v = new StringBuilder();
                if (i < n && text.charAt(i) == '\'') {
                    i++;
                    while (i < n && text.charAt(i) != '\'') {
                        if (text.charAt(i) == '\\' && i + 1 < n && text.charAt(i + 1) == '\'') {
                            i++;
                        }
                        v.append(text.charAt(i++));
                    }
                    if (i >= n) {
                        throw new CrsException(where + ": unterminated quote in action " + name);
                    }
                    i++;
                } else {
                    while (i < n && text.charAt(i) != ',') {
                        v.append(text.charAt(i++));
                    }
                }
                value = v.toString().strip();
            }
            out.add(new String[] {name, value});
        }
        return out;
    }
}
