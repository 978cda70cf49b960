package caravan.ops;

import caravan.common.SafeLog;
import caravan.parse.Parsers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.SendDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.URISupport;

/**
 * Loads one YAML route file into route definitions and validates them without starting anything:
 * the YAML parses, every route has an id, every endpoint resolves (component known, options
 * accepted), and every {@code tail:} source's {@code format} compiles. Used by the reloader before
 * it swaps a route and by {@code caravan check} offline.
 */
public final class RouteFiles {
    private static final Pattern LINE = Pattern.compile("line (\\d+)");

    private RouteFiles() {
    }

    /** A route file that cannot be used, with the file and (when known) the line. */
    public static final class RouteFileException extends Exception {
        private final transient Path file;
        private final int line;

        RouteFileException(Path file, int line, String message, Throwable cause) {
            super(file + (line > 0 ? ":" + line : "") + ": " + message, cause);
            this.file = file;
            this.line = line;
        }

        public Path file() {
            return file;
        }

        public int line() {
            return line;
        }
    }

    /** Parses and validates {@code content} (the text of {@code file}), returning its routes. */
    public static List<RouteDefinition> load(CamelContext ctx, Path file, String content) throws RouteFileException {
        List<RouteDefinition> routes = new ArrayList<>();
        try {
            Collection<RoutesBuilder> builders = PluginHelper.getRoutesLoader(ctx)
                    .findRoutesBuilders(ResourceHelper.fromString("file:" + file.toAbsolutePath(), content));
            for (RoutesBuilder b : builders) {
                if (b instanceof RouteBuilder rb) {
                    routes.addAll(rb.configureRoutes(ctx).getRoutes());
                }
            }
        } catch (Exception e) {
            throw new RouteFileException(file, lineFrom(e), "does not parse: " + rootMessage(e), e);
        }
        for (RouteDefinition r : routes) {
            validate(ctx, file, content, r);
        }
        return routes;
    }

    private static void validate(CamelContext ctx, Path file, String content, RouteDefinition r) throws RouteFileException {
        if (r.getRouteId() == null || r.getRouteId().isBlank()) {
            throw new RouteFileException(file, lineOf(content, "route"), "a route has no id: give each route an 'id:'", null);
        }
        String from = r.getInput() == null ? null : r.getInput().getEndpointUri();
        if (from == null) {
            throw new RouteFileException(file, lineOf(content, r.getRouteId()), "route '" + r.getRouteId() + "' has no 'from'", null);
        }
        endpoint(ctx, file, content, r.getRouteId(), from);
        String resolved = ctx.resolvePropertyPlaceholders(from);
        if (resolved.startsWith("tail:")) {
            String format = queryParameter(resolved, "format");
            if (format != null) {
                try {
                    Parsers.forFormat(format);
                } catch (IllegalArgumentException e) {
                    throw new RouteFileException(file, lineOf(content, format),
                            "route '" + r.getRouteId() + "': bad format: " + e.getMessage(), e);
                }
            }
        }
        checkOutputs(ctx, file, content, r.getRouteId(), r.getOutputs());
    }

    private static void checkOutputs(CamelContext ctx, Path file, String content, String routeId,
            List<ProcessorDefinition<?>> outputs) throws RouteFileException {
        for (ProcessorDefinition<?> p : outputs) {
            if (p instanceof SendDefinition<?> send && send.getEndpointUri() != null) {
                endpoint(ctx, file, content, routeId, send.getEndpointUri());
            }
            checkOutputs(ctx, file, content, routeId, p.getOutputs());
        }
    }

    private static void endpoint(CamelContext ctx, Path file, String content, String routeId, String uri)
            throws RouteFileException {
        try {
            if (ctx.getEndpoint(ctx.resolvePropertyPlaceholders(uri)) == null) {
                throw new IllegalArgumentException("no component for " + uri);
            }
        } catch (RuntimeException e) {
            String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')) : uri;
            throw new RouteFileException(file, lineOf(content, scheme + ":"),
                    "route '" + routeId + "': endpoint " + SafeLog.escape(uri) + " does not resolve: " + rootMessage(e), e);
        }
    }

    static String queryParameter(String uri, String name) {
        int q = uri.indexOf('?');
        if (q < 0) {
            return null;
        }
        try {
            Map<String, Object> params = URISupport.parseQuery(uri.substring(q + 1));
            Object v = params.get(name);
            return v == null ? null : v.toString();
        } catch (java.net.URISyntaxException e) {
            return null;
        }
    }

    /** The first 1-based line containing {@code needle}, or 0. */
    static int lineOf(String content, String needle) {
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(needle)) {
                return i + 1;
            }
        }
        return 0;
    }

    private static int lineFrom(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            Matcher m = LINE.matcher(String.valueOf(t.getMessage()));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return 0;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
