package caravan.parse;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles and caches parsers by format spec.
 *
 * <p>A spec is what a source's {@code format} option says and what travels in the envelope's
 * {@code caravan.format}. Grammar: {@code kind[options]:body}, where options and body are optional
 * for some kinds:
 *
 * <table>
 *   <caption>Format specs</caption>
 *   <tr><td>{@code common}, {@code combined}, {@code vhost_combined}, {@code referer}, {@code agent}</td>
 *       <td>Apache's stock LogFormats (dataset {@code apache.access})</td></tr>
 *   <tr><td>{@code apache:<LogFormat>}</td><td>any Apache LogFormat string</td></tr>
 *   <tr><td>{@code nginx}, {@code nginx_combined}, {@code main}</td>
 *       <td>nginx's combined and the stock nginx.conf {@code main} (dataset {@code nginx.access})</td></tr>
 *   <tr><td>{@code nginx:<log_format>}</td><td>any nginx log_format</td></tr>
 *   <tr><td>{@code apache_error}</td><td>Apache 2.2/2.4 error log (dataset {@code apache.error})</td></tr>
 *   <tr><td>{@code app}, {@code app:<pattern name>}</td>
 *       <td>application text logs: the loaded patterns, then the built-in default; or one pattern
 *       (dataset {@code app.log})</td></tr>
 *   <tr><td>{@code json}</td><td>one JSON object per line (dataset {@code app.json})</td></tr>
 *   <tr><td>a name given to {@link #define}</td><td>that spec</td></tr>
 * </table>
 *
 * Options, in brackets after the kind, comma-separated: {@code tz=<zone>} (every kind: the zone of
 * times written without an offset, default UTC), {@code dataset=<name>} (every kind), for {@code app}
 * {@code patterns=<file>}, for {@code json} {@code into=<object>}, {@code depth=<n>},
 * {@code max=<chars>}. Examples: {@code apache[tz=Europe/Paris]:%h [%{%d/%m/%Y %T}t] "%r" %>s},
 * {@code app[patterns=/etc/caravan/patterns.yaml]}, {@code json[into=app,depth=8]}.
 *
 * <p>Compiled parsers are immutable and shared; this class is thread-safe.
 */
public final class Parsers {
    private static final Map<String, LineParser> CACHE = new ConcurrentHashMap<>();
    private static final Map<String, String> NAMED = new ConcurrentHashMap<>();
    private static volatile AppPatterns patterns = AppPatterns.NONE;

    private static final Set<String> APACHE_PRESETS = Set.of("common", "combined", "vhost_combined", "referer",
            "agent");
    private static final Set<String> NGINX_PRESETS = Set.of("nginx", "nginx_combined", "main");
    private static final Set<String> KINDS = Set.of("apache", "nginx", "apache_error", "app", "json");
    private static final String HELP = "use a preset (common, combined, vhost_combined, referer, agent, nginx,"
            + " nginx_combined, main, apache_error, app, json), apache:<LogFormat>, nginx:<log_format>,"
            + " app:<pattern name>, or a name defined as caravan.formats.<name>";

    private Parsers() {
    }

    /** The ECS dataset a format parses into, e.g. {@code apache.access} for {@code combined}. */
    public static String datasetOf(String spec) {
        return forFormat(spec).dataset();
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
        LineParser p = CACHE.get(spec);
        if (p != null) {
            return p;
        }
        try {
            return CACHE.computeIfAbsent(spec, Parsers::compile);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("format '")) {
                throw e;
            }
            throw new IllegalArgumentException("format '" + spec + "': " + e.getMessage(), e);
        }
    }

    /**
     * Gives a spec a name, usable wherever a spec is ({@code caravan.formats.<name>=<spec>}).
     * The spec is compiled now, so a broken one fails at startup, not at the first line.
     *
     * @throws IllegalArgumentException if the name is not a plain name, shadows a preset, or the spec
     *                                  does not compile
     */
    public static void define(String name, String spec) {
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("format name '" + name + "' must be 1-64 letters, digits, '_' or '-'"
                    + " (set it as caravan.formats.<name>=<spec>)");
        }
        if (APACHE_PRESETS.contains(name) || NGINX_PRESETS.contains(name) || KINDS.contains(name)) {
            throw new IllegalArgumentException("format name '" + name + "' is a built-in preset; choose another"
                    + " name for caravan.formats." + name);
        }
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("format '" + name + "' has no spec: set caravan.formats." + name
                    + "=<spec>, e.g. combined or apache:%h %l %u %t \"%r\" %>s %b");
        }
        if (NAMED.containsKey(spec)) {
            throw new IllegalArgumentException("format '" + name + "' refers to the named format '" + spec
                    + "': give the spec itself");
        }
        LineParser parser;
        try {
            parser = compileSpec(spec);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("format '" + name + "' (caravan.formats." + name + "=" + spec + "): "
                    + e.getMessage(), e);
        }
        NAMED.put(name, spec);
        CACHE.put(name, parser);
    }

    /**
     * Loads the application patterns that {@code app} specs use, replacing those loaded before.
     *
     * @throws IllegalArgumentException {@code file:line: reason} if the file cannot be used; the
     *                                  patterns in force stay as they were
     */
    public static void loadPatterns(Path file) {
        AppPatterns loaded = AppPatterns.load(file);
        patterns = loaded;
        CACHE.keySet().removeIf(k -> k.equals("app") || k.startsWith("app[") || k.startsWith("app:"));
        for (Map.Entry<String, String> n : NAMED.entrySet()) {
            if (n.getValue().startsWith("app")) {
                CACHE.put(n.getKey(), compileSpec(n.getValue()));
            }
        }
    }

    /** Forgets named formats and loaded patterns: tests that define them clean up with this. */
    static void resetForTests() {
        NAMED.clear();
        patterns = AppPatterns.NONE;
        CACHE.clear();
    }

    /** Compiles without caching: for tests that throw thousands of random specs at the compilers. */
    static LineParser compileUncached(String spec) {
        return compileSpec(spec);
    }

    private static LineParser compile(String spec) {
        String named = NAMED.get(spec);
        return compileSpec(named != null ? named : spec);
    }

    private static LineParser compileSpec(String spec) {
        int i = 0;
        while (i < spec.length() && (Character.isLetterOrDigit(spec.charAt(i)) || spec.charAt(i) == '_')) {
            i++;
        }
        String kind = spec.substring(0, i);
        Map<String, String> opts = new LinkedHashMap<>();
        if (i < spec.length() && spec.charAt(i) == '[') {
            int close = spec.indexOf(']', i);
            if (close < 0) {
                throw new IllegalArgumentException("the options '[' are never closed with ']'");
            }
            for (String kv : spec.substring(i + 1, close).split(",")) {
                if (kv.isBlank()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("option '" + kv.trim() + "' is not key=value");
                }
                opts.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
            i = close + 1;
        }
        String body = null;
        if (i < spec.length()) {
            if (spec.charAt(i) != ':') {
                throw new IllegalArgumentException("unknown format: " + HELP);
            }
            body = spec.substring(i + 1);
        }
        if (APACHE_PRESETS.contains(kind)) {
            noBody(kind, body);
            options(kind, opts, Set.of("tz", "dataset"));
            String fmt = switch (kind) {
                case "common" -> ApacheLogFormat.COMMON;
                case "combined" -> ApacheLogFormat.COMBINED;
                case "vhost_combined" -> ApacheLogFormat.VHOST_COMBINED;
                case "referer" -> ApacheLogFormat.REFERER;
                default -> ApacheLogFormat.AGENT;
            };
            return ApacheLogFormat.compile(fmt, opts.getOrDefault("dataset", "apache.access"), zone(opts));
        }
        switch (kind) {
            case "apache" -> {
                options(kind, opts, Set.of("tz", "dataset"));
                if (body == null || body.isBlank()) {
                    throw new IllegalArgumentException("apache needs its LogFormat: apache:%h %l %u %t \"%r\" %>s %b");
                }
                return ApacheLogFormat.compile(body, opts.getOrDefault("dataset", "apache.access"), zone(opts));
            }
            case "nginx", "nginx_combined", "main" -> {
                options(kind, opts, Set.of("tz", "dataset"));
                if (body != null && !kind.equals("nginx")) {
                    noBody(kind, body);
                }
                String fmt = body != null ? body : kind.equals("main") ? NginxLogFormat.MAIN : NginxLogFormat.COMBINED;
                if (fmt.isBlank()) {
                    throw new IllegalArgumentException("nginx: needs its log_format, e.g. nginx:$remote_addr [$time_local] \"$request\" $status");
                }
                return NginxLogFormat.compile(fmt, opts.getOrDefault("dataset", "nginx.access"), zone(opts));
            }
            case "apache_error" -> {
                noBody(kind, body);
                options(kind, opts, Set.of("tz", "dataset"));
                return new ApacheErrorLogParser(zone(opts), opts.getOrDefault("dataset", "apache.error"));
            }
            case "app" -> {
                options(kind, opts, Set.of("tz", "dataset", "patterns"));
                ZoneId zone = zone(opts);
                AppPatterns source = opts.containsKey("patterns")
                        ? AppPatterns.parse(read(opts.get("patterns")), opts.get("patterns"), zone) : patterns;
                String dataset = opts.getOrDefault("dataset", "app.log");
                if (body == null) {
                    return new AppLogParser(source.patterns, true, zone, dataset);
                }
                if (body.equals("default")) {
                    return new AppLogParser(List.of(), true, zone, dataset);
                }
                AppPattern one = source.named(body);
                if (one == null) {
                    throw new IllegalArgumentException("no application pattern named '" + body + "' in "
                            + source.source + " (load one with --patterns or caravan.parse.patterns; 'app:default'"
                            + " is the built-in)");
                }
                return new AppLogParser(List.of(one), false, zone, dataset);
            }
            case "json" -> {
                noBody(kind, body);
                options(kind, opts, Set.of("tz", "dataset", "into", "depth", "max"));
                String into = opts.getOrDefault("into", "labels");
                if (!into.isEmpty() && !into.matches("[A-Za-z0-9_@-]+(\\.[A-Za-z0-9_@-]+)*")) {
                    throw new IllegalArgumentException("into='" + into + "' must be a field name like labels or app");
                }
                return new JsonLogParser(into, intOption(opts, "depth", JsonLogParser.DEFAULT_DEPTH, 1, 200),
                        intOption(opts, "max", JsonLogParser.DEFAULT_MAX_CHARS, 2, 64 << 20), zone(opts),
                        opts.getOrDefault("dataset", "app.json"));
            }
            default -> throw new IllegalArgumentException("unknown format: " + HELP);
        }
    }

    private static String read(String file) {
        try {
            return java.nio.file.Files.readString(Path.of(file));
        } catch (java.io.IOException | java.nio.file.InvalidPathException | java.io.UncheckedIOException e) {
            throw new IllegalArgumentException("cannot read patterns file '" + file + "': " + e, e);
        }
    }

    private static void noBody(String kind, String body) {
        if (body != null) {
            throw new IllegalArgumentException("'" + kind + "' is a preset and takes nothing after ':'; for a custom"
                    + " format use apache:<LogFormat> or nginx:<log_format>");
        }
    }

    private static void options(String kind, Map<String, String> opts, Set<String> allowed) {
        for (String k : opts.keySet()) {
            if (!allowed.contains(k)) {
                throw new IllegalArgumentException("'" + kind + "' has no option '" + k + "' (it takes "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
        String ds = opts.get("dataset");
        if (ds != null && !ds.matches("[a-z0-9_]+(\\.[a-z0-9_]+)*")) {
            throw new IllegalArgumentException("dataset='" + ds + "' must be lower-case words joined by dots,"
                    + " e.g. myapp.access");
        }
    }

    private static ZoneId zone(Map<String, String> opts) {
        String tz = opts.get("tz");
        if (tz == null) {
            return ZoneOffset.UTC;
        }
        try {
            return ZoneId.of(tz);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("tz='" + tz + "' is not a time zone (use a region like Europe/Paris"
                    + " or an offset like +02:00)", e);
        }
    }

    private static int intOption(Map<String, String> opts, String key, int dflt, int min, int max) {
        String v = opts.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(key + "='" + v + "' must be a whole number from " + min + " to " + max);
    }
}
