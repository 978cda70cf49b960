package caravan.parse;

import caravan.event.EcsJsonWriter;
import caravan.event.LogEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test helper: parses a line and returns the document that would be indexed, flattened back to
 * dotted ECS names, so tests assert on the real output rather than on parser internals.
 */
final class Docs {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Docs() {
    }

    static Map<String, Object> doc(String spec, String line) throws ParseException {
        return doc(Parsers.forFormat(spec), line);
    }

    static Map<String, Object> doc(LineParser parser, String line) throws ParseException {
        LogEvent e = new LogEvent();
        parser.parse(line, e);
        return flat(e);
    }

    static Map<String, Object> flat(LogEvent e) {
        byte[] json = new EcsJsonWriter().write(e);
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            flatten("", MAPPER.readTree(json), out);
            return out;
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    private static void flatten(String prefix, JsonNode n, Map<String, Object> out) {
        if (n.isObject()) {
            for (Map.Entry<String, JsonNode> f : n.properties()) {
                flatten(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
            }
        } else {
            out.put(prefix, value(n));
        }
    }

    /** A JSON value as the tests compare it: text, long, double, boolean, a list, or null. */
    static Object value(JsonNode n) {
        if (n.isTextual()) {
            return n.asText();
        }
        if (n.isIntegralNumber()) {
            return n.asLong();
        }
        if (n.isNumber()) {
            return n.asDouble();
        }
        if (n.isBoolean()) {
            return n.asBoolean();
        }
        if (n.isArray()) {
            List<Object> l = new ArrayList<>();
            n.forEach(x -> l.add(x.isObject() || x.isArray() ? x.toString() : value(x)));
            return l;
        }
        return n.isNull() ? null : n.toString();
    }
}
