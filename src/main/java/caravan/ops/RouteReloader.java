package caravan.ops;

import caravan.common.Metrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the routes from {@code routes/*.yaml}: loads them at start-up and, while running, swaps a
 * route only after its edited file has parsed and validated ({@link RouteFiles}). A broken edit
 * leaves the running routes alone, is logged with the file and line, and is counted in
 * {@code caravan_routes_reload_failures_total}. A removed file stops its routes (stopping a tail
 * consumer saves its checkpoints).
 *
 * <p>Replaces Camel's built-in reload, which is meant for development: it swaps first and reports
 * afterwards.
 */
public final class RouteReloader implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(RouteReloader.class);

    private final CamelContext ctx;
    private final Path dir;
    /** What each file last loaded: its text and its routes. */
    private final Map<Path, Loaded> loaded = new HashMap<>();
    /** Text seen once but not yet loaded: a file must read the same twice (an editor may still be writing). */
    private final Map<Path, String> pending = new HashMap<>();
    private ScheduledExecutorService timer;

    private record Loaded(String content, List<RouteDefinition> routes) {
        List<String> ids() {
            return routes.stream().map(RouteDefinition::getRouteId).toList();
        }
    }

    public RouteReloader(CamelContext ctx, Path dir) {
        this.ctx = ctx;
        this.dir = dir;
    }

    /** Loads every file; a broken one stops the start-up, with the same message the reload would log. */
    public synchronized void loadAll() {
        if (!Files.isDirectory(dir)) {
            LOG.error("caravan.routes.dir: {} is not a directory, so no source route is loaded and nothing is shipped;"
                    + " create it or point caravan.routes.dir at the route files (a relative path resolves against {})",
                    dir.toAbsolutePath(), Path.of("").toAbsolutePath());
        } else if (read().isEmpty()) {
            LOG.warn("no *.yaml source routes in {} (caravan.routes.dir): nothing is shipped until one is added there",
                    dir.toAbsolutePath());
        }
        for (Map.Entry<Path, String> f : read().entrySet()) {
            try {
                swap(f.getKey(), f.getValue());
            } catch (RouteFiles.RouteFileException e) {
                Metrics.routesReloadFailures().increment();
                Metrics.routesReloadResult(false);
                throw new IllegalArgumentException("route file " + e.getMessage(), e);
            }
        }
        Metrics.routesReloadResult(true);
    }

    /** The routes directory, when it is missing: readiness is down until it exists (see PipelineHealth.sources). */
    public Path missingDirectory() {
        return Files.isDirectory(dir) ? null : dir.toAbsolutePath();
    }

    public void watch(long intervalMs) {
        timer = ctx.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "caravan-routes-reload");
        timer.scheduleWithFixedDelay(this, intervalMs, intervalMs, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (timer != null) {
            ctx.getExecutorServiceManager().shutdownNow(timer);
        }
    }

    /** One scan of the directory. */
    @Override
    public synchronized void run() {
        try {
            Map<Path, String> now = read();
            for (Map.Entry<Path, String> f : now.entrySet()) {
                Loaded old = loaded.get(f.getKey());
                if (old != null && old.content.equals(f.getValue())) {
                    pending.remove(f.getKey());
                    continue;
                }
                if (!f.getValue().equals(pending.put(f.getKey(), f.getValue()))) {
                    continue; // changed since the last scan: wait until it settles
                }
                pending.remove(f.getKey());
                try {
                    swap(f.getKey(), f.getValue());
                    Metrics.routesReloadResult(true);
                    LOG.info("routes reloaded from {}: {}", f.getKey(), loaded.get(f.getKey()).ids());
                } catch (RouteFiles.RouteFileException e) {
                    Metrics.routesReloadFailures().increment();
                    Metrics.routesReloadResult(false);
                    // Remember the broken text so that it is reported once, not on every scan.
                    loaded.put(f.getKey(), new Loaded(f.getValue(), old == null ? List.of() : old.routes));
                    LOG.error("route file refused, the running routes are unchanged: {}", e.getMessage());
                }
            }
            for (Path gone : new ArrayList<>(loaded.keySet())) {
                if (!now.containsKey(gone)) {
                    for (String id : loaded.remove(gone).ids()) {
                        removeRoute(id);
                    }
                    LOG.info("route file {} removed: its routes are stopped", gone);
                }
            }
        } catch (Exception e) {
            LOG.error("route reload scan failed: {}", e.toString(), e);
        }
    }

    private void swap(Path file, String content) throws RouteFiles.RouteFileException {
        List<RouteDefinition> defs = RouteFiles.load(ctx, file, content);
        Loaded old = loaded.get(file);
        List<String> oldIds = old == null ? List.of() : old.ids();
        for (RouteDefinition d : defs) {
            if (ctx.getRoute(d.getRouteId()) != null && !oldIds.contains(d.getRouteId())) {
                throw new RouteFiles.RouteFileException(file, RouteFiles.lineOf(content, d.getRouteId()),
                        "route id '" + d.getRouteId() + "' is already used by another route", null);
            }
        }
        for (String id : oldIds) {
            removeRoute(id);
        }
        ModelCamelContext model = (ModelCamelContext) ctx;
        try {
            model.addRouteDefinitions(defs);
        } catch (Exception e) {
            // The new routes validated but did not start: put the old ones back.
            for (RouteDefinition d : defs) {
                removeRoute(d.getRouteId());
            }
            if (old != null && !old.routes.isEmpty()) {
                try {
                    model.addRouteDefinitions(old.routes);
                } catch (Exception again) {
                    LOG.error("could not restore the previous routes of {}: {}", file, again.toString());
                }
            }
            throw new RouteFiles.RouteFileException(file, 0, "routes did not start: " + RouteFiles.rootMessage(e), e);
        }
        loaded.put(file, new Loaded(content, defs));
    }

    private void removeRoute(String id) {
        try {
            ModelCamelContext model = (ModelCamelContext) ctx;
            if (ctx.getRoute(id) != null) {
                ctx.getRouteController().stopRoute(id);
            }
            RouteDefinition def = model.getRouteDefinition(id);
            if (def != null) {
                model.removeRouteDefinition(def);
            }
            if (ctx.getRoute(id) != null) {
                ctx.removeRoute(id);
            }
        } catch (Exception e) {
            LOG.error("could not stop route {}: {}", id, e.toString());
        }
    }

    private Map<Path, String> read() {
        Map<Path, String> files = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.yaml")) {
            for (Path p : ds) {
                try {
                    files.put(p.toAbsolutePath().normalize(), Files.readString(p, StandardCharsets.UTF_8));
                } catch (IOException e) {
                    // Deleted between the listing and the read: the next scan sees it gone.
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot list route directory {}: {}", dir, e.toString());
        }
        return files;
    }
}
