package caravan.parse;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
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
 * The user's application log patterns, from a {@code patterns.yaml}:
 *
 * <pre>
 * timezone: Europe/Paris          # optional: zone of times written without an offset (default UTC)
 * patterns:                       # tried in order, first match wins; the built-in default comes last
 *   - name: payment
 *     pattern: '%{timestamp} %{level} \[%{service}\] Payment completed for order %{order_id}'
 *   - name: legacy
 *     pattern: '%{timestamp} \| %{level} \| %{message}'
 *     time_format: 'dd/MM/yyyy HH:mm:ss'   # optional java.time pattern for %{timestamp}
 *     timezone: America/New_York           # optional, this pattern only
 * </pre>
 *
 * A file that cannot be used is refused whole, with file, line and reason, so a typo never silently
 * drops a pattern. The pattern syntax is documented on {@link AppPattern}.
 */
final class AppPatterns {
    private static final Set<String> TOP_KEYS = Set.of("timezone", "patterns");
    private static final Set<String> PATTERN_KEYS = Set.of("name", "pattern", "time_format", "timezone");

    final List<AppPattern> patterns;
    final String source;

    private AppPatterns(List<AppPattern> patterns, String source) {
        this.patterns = List.copyOf(patterns);
        this.source = source;
    }

    static final AppPatterns NONE = new AppPatterns(List.of(), "(none)");

    /** @throws IllegalArgumentException {@code file:line: reason} */
    static AppPatterns load(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the patterns file: " + e, e);
        }
        return parse(text, file.toString(), null);
    }

    /**
     * @param defaultZone the zone when the file names none; null for UTC
     * @throws IllegalArgumentException {@code name:line: reason}
     */
    static AppPatterns parse(String yaml, String name, ZoneId defaultZone) {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(name).setAllowDuplicateKeys(false)
                    .setMaxAliasesForCollections(10).build();
            Optional<Node> doc = new Compose(settings).composeString(yaml);
            if (doc.isEmpty()) {
                throw new IllegalArgumentException(name + ":1: the file is empty; it needs a 'patterns:' list");
            }
            root = doc.get();
        } catch (MarkedYamlEngineException e) {
            int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(1);
            throw new IllegalArgumentException(name + ":" + line + ": not valid YAML: " + e.getProblem(), e);
        } catch (YamlEngineException e) {
            throw new IllegalArgumentException(name + ":1: not valid YAML: " + e.getMessage(), e);
        }
        if (!(root instanceof MappingNode top)) {
            throw error(name, root, "expected a mapping with 'patterns:' at the top");
        }
        Map<String, Node> topKeys = keys(name, top, TOP_KEYS);
        ZoneId zone = defaultZone != null ? defaultZone : ZoneOffset.UTC;
        if (topKeys.containsKey("timezone")) {
            zone = zone(name, topKeys.get("timezone"));
        }
        Node list = topKeys.get("patterns");
        if (list == null) {
            throw error(name, root, "missing 'patterns:' (a list of {name, pattern})");
        }
        if (!(list instanceof SequenceNode seq)) {
            throw error(name, list, "'patterns' must be a list of {name, pattern}");
        }
        List<AppPattern> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Node item : seq.getValue()) {
            if (!(item instanceof MappingNode entry)) {
                throw error(name, item, "each pattern is a mapping with 'name' and 'pattern'");
            }
            Map<String, Node> k = keys(name, entry, PATTERN_KEYS);
            String pname = scalar(name, k.get("name"), entry, "name");
            if (!pname.matches("[A-Za-z0-9_-]{1,64}")) {
                throw error(name, k.get("name"), "pattern name '" + pname + "' must be 1-64 letters, digits, '_' or '-'");
            }
            if (pname.equals("default") || !names.add(pname)) {
                throw error(name, k.get("name"), "pattern name '" + pname + "' is "
                        + (pname.equals("default") ? "reserved for the built-in pattern" : "used twice"));
            }
            String source = scalar(name, k.get("pattern"), entry, "pattern");
            ZoneId pzone = k.containsKey("timezone") ? zone(name, k.get("timezone")) : zone;
            String tf = k.containsKey("time_format") ? scalar(name, k.get("time_format"), entry, "time_format") : null;
            if (tf != null) {
                try {
                    java.time.format.DateTimeFormatter.ofPattern(tf);
                } catch (IllegalArgumentException e) {
                    throw error(name, k.get("time_format"), "time_format '" + tf + "': " + e.getMessage());
                }
            }
            try {
                out.add(AppPattern.compile(pname, source, pzone, tf));
            } catch (IllegalArgumentException e) {
                throw error(name, k.get("pattern"), "pattern '" + pname + "': " + e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw error(name, list, "'patterns' is empty");
        }
        return new AppPatterns(out, name);
    }

    AppPattern named(String patternName) {
        for (AppPattern p : patterns) {
            if (p.name.equals(patternName)) {
                return p;
            }
        }
        return null;
    }

    private static Map<String, Node> keys(String name, MappingNode map, Set<String> allowed) {
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode k)) {
                throw error(name, t.getKeyNode(), "keys must be plain names");
            }
            if (!allowed.contains(k.getValue())) {
                throw error(name, k, "unknown key '" + k.getValue() + "' (expected one of " + allowed + ")");
            }
            if (out.put(k.getValue(), t.getValueNode()) != null) {
                throw error(name, k, "'" + k.getValue() + "' appears twice");
            }
        }
        return out;
    }

    private static String scalar(String name, Node n, Node parent, String key) {
        if (n == null) {
            throw error(name, parent, "missing '" + key + "'");
        }
        if (!(n instanceof ScalarNode s) || s.getValue().isEmpty()) {
            throw error(name, n, "'" + key + "' must be a non-empty string");
        }
        return s.getValue();
    }

    private static ZoneId zone(String name, Node n) {
        String z = scalar(name, n, n, "timezone");
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            throw error(name, n, "unknown timezone '" + z + "' (use a region like Europe/Paris or an offset like +02:00)");
        }
    }

    private static IllegalArgumentException error(String name, Node at, String reason) {
        int line = at == null ? 1 : at.getStartMark().map(Mark::getLine).orElse(0) + 1;
        return new IllegalArgumentException(name + ":" + line + ": " + reason);
    }
}
