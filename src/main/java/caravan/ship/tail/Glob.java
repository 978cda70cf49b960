package caravan.ship.tail;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A path glob: {@code *} and {@code ?} within one path segment, {@code **} across segments
 * ({@code a/**}{@code /b} also matches {@code a/b}), {@code [abc]}, {@code [!abc]}, {@code {x,y}} and
 * {@code \} to escape.
 *
 * <p>Our own translation rather than {@code FileSystem.getPathMatcher("glob:")}, whose {@code **}{@code /}
 * needs at least one directory: operators expect {@code /var/log/**}{@code /*.log} to include
 * {@code /var/log/syslog.log}. The generated expression is ours, so java.util.regex is safe here.
 */
final class Glob {
    private final String pattern;
    private final Path base;
    private final Pattern regex;
    private final int maxDepth;
    private final boolean nameOnly;

    private Glob(String pattern, Path base, Pattern regex, int maxDepth, boolean nameOnly) {
        this.pattern = pattern;
        this.base = base;
        this.regex = regex;
        this.maxDepth = maxDepth;
        this.nameOnly = nameOnly;
    }

    /** A glob over absolute paths; a relative pattern is taken from the working directory. */
    static Glob of(String pattern) {
        if (pattern == null || pattern.isBlank()) {
            throw new IllegalArgumentException("tail: needs a path or glob, e.g. tail:/var/log/app/*.log");
        }
        String abs = pattern.startsWith("/") ? pattern : Path.of("").toAbsolutePath() + "/" + pattern;
        abs = abs.replaceAll("/+", "/");
        String[] segments = abs.substring(1).split("/", -1);
        StringBuilder baseDir = new StringBuilder();
        int first = 0;
        while (first < segments.length - 1 && !hasMeta(segments[first])) {
            baseDir.append('/').append(unescape(segments[first]));
            first++;
        }
        Path base = Path.of(baseDir.length() == 0 ? "/" : baseDir.toString()).normalize();
        int depth = abs.contains("**") ? Integer.MAX_VALUE : segments.length - first;
        return new Glob(pattern, base, Pattern.compile(toRegex(abs)), depth, false);
    }

    /**
     * An exclusion: without a {@code /} it is matched against the file name ({@code *.gz}), with one
     * against the whole path.
     */
    static Glob exclusion(String pattern) {
        if (pattern.indexOf('/') >= 0) {
            return of(pattern);
        }
        return new Glob(pattern, null, Pattern.compile(toRegex(pattern)), 0, true);
    }

    String pattern() {
        return pattern;
    }

    /** The deepest directory without wildcards: where expansion starts walking. */
    Path base() {
        return base;
    }

    boolean matches(Path p) {
        if (nameOnly) {
            Path name = p.getFileName();
            return name != null && regex.matcher(name.toString()).matches();
        }
        return regex.matcher(p.toString()).matches();
    }

    /**
     * The regular files (or links to them) that match now, minus {@code exclude}. A missing base
     * directory or an unreadable subdirectory yields nothing rather than an error: logs directories
     * come and go.
     */
    List<Path> expand(Glob exclude) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return out;
        }
        try {
            Files.walkFileTree(base, EnumSet.noneOf(java.nio.file.FileVisitOption.class), maxDepth,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            boolean regular = attrs.isRegularFile()
                                    || attrs.isSymbolicLink() && Files.isRegularFile(file);
                            if (regular && matches(file) && (exclude == null || !exclude.matches(file))) {
                                out.add(file);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException e) {
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (NoSuchFileException e) {
            // the base directory went away during the walk
        }
        return out;
    }

    private static boolean hasMeta(String segment) {
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '*' || c == '?' || c == '[' || c == '{') {
                return true;
            }
        }
        return false;
    }

    private static String unescape(String s) {
        return s.replaceAll("\\\\(.)", "$1");
    }

    static String toRegex(String glob) {
        StringBuilder re = new StringBuilder(glob.length() * 2);
        int braces = 0;
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        literal(re, glob.charAt(++i));
                    } else {
                        literal(re, c);
                    }
                }
                case '*' -> {
                    if (i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                        i++;
                        boolean slashAfter = i + 1 < glob.length() && glob.charAt(i + 1) == '/';
                        boolean segmentStart = i - 1 == 0 || glob.charAt(i - 2) == '/';
                        if (slashAfter && segmentStart) {
                            i++;
                            re.append("(?:.*/)?");
                        } else {
                            re.append(".*");
                        }
                    } else {
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int close = glob.indexOf(']', i + 2);
                    if (close < 0) {
                        literal(re, c);
                    } else {
                        String body = glob.substring(i + 1, close);
                        re.append('[');
                        if (body.startsWith("!")) {
                            re.append('^');
                            body = body.substring(1);
                        }
                        for (char b : body.toCharArray()) {
                            if (b == '\\' || b == '[' || b == ']' || b == '&' || b == '^') {
                                re.append('\\');
                            }
                            re.append(b);
                        }
                        re.append(']');
                        i = close;
                    }
                }
                case '{' -> {
                    braces++;
                    re.append("(?:");
                }
                case '}' -> {
                    if (braces > 0) {
                        braces--;
                        re.append(')');
                    } else {
                        literal(re, c);
                    }
                }
                case ',' -> {
                    if (braces > 0) {
                        re.append('|');
                    } else {
                        literal(re, c);
                    }
                }
                default -> literal(re, c);
            }
        }
        if (braces > 0) {
            throw new IllegalArgumentException("unbalanced '{' in glob " + glob);
        }
        return re.toString();
    }

    private static void literal(StringBuilder re, char c) {
        if ("\\.[]{}()<>*+-=!?^$|".indexOf(c) >= 0) {
            re.append('\\');
        }
        re.append(c);
    }

    @Override
    public String toString() {
        return pattern;
    }
}
