package caravan.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A YAML rule file ({@code bots.yaml}, {@code threats.yaml}) read as a node tree, so that every
 * complaint names the file and line. The shape is always a top-level key holding a list of
 * mappings, one per rule.
 *
 * <p>Reading is strict on purpose: an unknown key, a missing value or a wrong type stops the load
 * with {@link RuleFileException}, because a rule that silently does not apply (a typo in
 * {@code patern:}) is worse than a start-up that refuses.
 */
public final class RuleFile {
    private final String source;
    private final Node root;

    private RuleFile(String source, Node root) {
        this.source = source;
        this.root = root;
    }

    /** Parses YAML text; {@code source} names it in errors (a path, or {@code classpath:...}). */
    public static RuleFile parse(String source, String text) {
        LoadSettings settings = LoadSettings.builder().setLabel(source).setAllowDuplicateKeys(false)
                .setMaxAliasesForCollections(10).build();
        try {
            Optional<Node> root = new Compose(settings).composeString(text);
            return new RuleFile(source, root.orElse(null));
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().or(e::getContextMark).map(m -> m.getLine() + 1).orElse(0);
            throw new RuleFileException(source, line, "not valid YAML: " + e.getProblem());
        } catch (YamlEngineException e) {
            throw new RuleFileException(source, 0, "not valid YAML: " + e.getMessage());
        }
    }

    /** Reads a file from disk. */
    public static RuleFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new RuleFileException(file.toString(), 0, "cannot read: " + e);
        }
        return parse(file.toString(), text);
    }

    /** Reads a resource from the classpath (the defaults in the jar). */
    public static RuleFile classpath(String resource) {
        String source = "classpath:" + resource;
        try (InputStream in = RuleFile.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new RuleFileException(source, 0, "not found on the classpath");
            }
            return parse(source, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new RuleFileException(source, 0, "cannot read: " + e);
        }
    }

    public String source() {
        return source;
    }

    /**
     * The entries under {@code key}, a list of mappings. An empty file, or one without the key,
     * has none.
     */
    public List<Entry> entries(String key) {
        if (root == null) {
            return List.of();
        }
        if (!(root instanceof MappingNode top)) {
            throw new RuleFileException(source, lineOf(root), "expected a mapping with a '" + key + "' list at the top");
        }
        Node list = null;
        for (NodeTuple t : top.getValue()) {
            String k = scalar(t.getKeyNode(), "a key");
            if (!k.equals(key)) {
                throw new RuleFileException(source, lineOf(t.getKeyNode()),
                        "unknown top-level key '" + k + "' (expected '" + key + "')");
            }
            list = t.getValueNode();
        }
        if (list == null || isNull(list)) {
            return List.of();
        }
        if (!(list instanceof SequenceNode seq)) {
            throw new RuleFileException(source, lineOf(list), "'" + key + "' must be a list");
        }
        List<Entry> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof MappingNode m)) {
                throw new RuleFileException(source, lineOf(item), "each entry of '" + key + "' must be a mapping");
            }
            Map<String, Node> values = new LinkedHashMap<>();
            Map<String, Integer> lines = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                String k = scalar(t.getKeyNode(), "a key");
                if (values.put(k, t.getValueNode()) != null) {
                    throw new RuleFileException(source, lineOf(t.getKeyNode()), "duplicate key '" + k + "'");
                }
                lines.put(k, lineOf(t.getKeyNode()));
            }
            out.add(new Entry(lineOf(item), values, lines));
        }
        return out;
    }

    private String scalar(Node n, String what) {
        if (n instanceof ScalarNode s) {
            return s.getValue();
        }
        throw new RuleFileException(source, lineOf(n), "expected " + what + ", found a " + n.getNodeType().name().toLowerCase());
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.isPlain() && (s.getValue().isEmpty() || s.getValue().equals("~")
                || s.getValue().equals("null"));
    }

    private static int lineOf(Node n) {
        return n.getStartMark().map(Mark::getLine).map(l -> l + 1).orElse(0);
    }

    /** One rule: a mapping of keys to values, each with its line. */
    public final class Entry {
        private final int line;
        private final Map<String, Node> values;
        private final Map<String, Integer> lines;

        private Entry(int line, Map<String, Node> values, Map<String, Integer> lines) {
            this.line = line;
            this.values = values;
            this.lines = lines;
        }

        public int line() {
            return line;
        }

        public String source() {
            return source;
        }

        /** Refuses keys outside {@code allowed}, naming them: catches typos. */
        public Entry allowOnly(Set<String> allowed) {
            for (String k : values.keySet()) {
                if (!allowed.contains(k)) {
                    throw new RuleFileException(source, lines.get(k),
                            "unknown key '" + k + "' (expected one of " + String.join(", ", allowed) + ")");
                }
            }
            return this;
        }

        public boolean has(String key) {
            Node n = values.get(key);
            return n != null && !isNull(n);
        }

        /** A required non-blank string. */
        public String string(String key) {
            String v = optionalString(key);
            if (v == null || v.isBlank()) {
                throw error(key, "'" + key + "' is required and must not be empty");
            }
            return v;
        }

        /** A string, or null when the key is absent. */
        public String optionalString(String key) {
            if (!has(key)) {
                return null;
            }
            return scalar(values.get(key), "a text value for '" + key + "'");
        }

        public boolean bool(String key, boolean otherwise) {
            String v = optionalString(key);
            if (v == null) {
                return otherwise;
            }
            return switch (v) {
                case "true" -> true;
                case "false" -> false;
                default -> throw error(key, "'" + key + "' must be true or false, not '" + v + "'");
            };
        }

        /** A list of non-empty strings (a single string counts as a list of one); empty when absent. */
        public List<String> strings(String key) {
            if (!has(key)) {
                return List.of();
            }
            Node n = values.get(key);
            if (n instanceof ScalarNode s) {
                return List.of(nonEmpty(key, s));
            }
            if (!(n instanceof SequenceNode seq)) {
                throw error(key, "'" + key + "' must be a list of strings");
            }
            List<String> out = new ArrayList<>();
            for (Node item : seq.getValue()) {
                if (!(item instanceof ScalarNode s)) {
                    throw new RuleFileException(source, lineOf(item), "'" + key + "' must be a list of strings");
                }
                out.add(nonEmpty(key, s));
            }
            return out;
        }

        private String nonEmpty(String key, ScalarNode s) {
            if (s.getValue().isEmpty()) {
                throw new RuleFileException(source, lineOf(s), "'" + key + "' has an empty entry");
            }
            return s.getValue();
        }

        /** An error at the line of {@code key}, or of the entry when the key is absent. */
        public RuleFileException error(String key, String reason) {
            Integer l = key == null ? null : lines.get(key);
            return new RuleFileException(source, l == null ? line : l, reason);
        }
    }
}
