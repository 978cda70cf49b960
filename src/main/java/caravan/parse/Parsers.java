package caravan.parse;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles and caches parsers by format spec.
 *
 * <p>A spec is what a source's {@code format} option says and what travels in the envelope's
 * {@code caravan.format}: a preset name ({@code combined}, {@code common}). Compiled parsers are
 * immutable and shared.
 */
public final class Parsers {
    private static final Map<String, LineParser> CACHE = new ConcurrentHashMap<>();

    private Parsers() {
    }

    /**
     * The parser for a spec.
     *
     * @throws IllegalArgumentException naming the spec and what is wrong with it
     */
    public static LineParser forFormat(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("no format given: set the source's 'format' option, e.g. format=combined");
        }
        return CACHE.computeIfAbsent(spec, Parsers::compile);
    }

    private static LineParser compile(String spec) {
        return switch (spec) {
            case "combined" -> new CombinedLogParser(true);
            case "common" -> new CombinedLogParser(false);
            default -> throw new IllegalArgumentException("unknown format '" + spec + "': use one of combined, common");
        };
    }
}
