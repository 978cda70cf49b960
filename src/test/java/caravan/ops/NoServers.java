package caravan.ops;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Settings for a runtime started in a unit test: servers where nothing listens, no HTTP, no shipping, no slow enrichers. */
public final class NoServers {
    private NoServers() {
    }

    public static Properties settings(Path dir) throws IOException {
        Properties p = new Properties();
        p.setProperty("caravan.kafka.brokers", "127.0.0.1:1");
        p.setProperty("caravan.elasticsearch.urls", "http://127.0.0.1:1");
        p.setProperty("caravan.routes.dir", Files.createDirectories(dir.resolve("routes")).toString());
        p.setProperty("caravan.routes.reload", "false");
        p.setProperty("caravan.http.enabled", "false");
        p.setProperty("caravan.ship.enabled", "false");
        p.setProperty("caravan.enrich.useragent.enabled", "false");
        p.setProperty("caravan.enrich.geoip.enabled", "false");
        return p;
    }

    /** {@link #settings} with the ship half on, and no alerts, API or health summary: a runtime that only starts. */
    public static Properties shipping(Path dir) throws IOException {
        Properties p = settings(dir);
        p.setProperty("caravan.ship.enabled", "true");
        p.setProperty("caravan.alert.enabled", "false");
        p.setProperty("caravan.api.enabled", "false");
        p.setProperty("caravan.health.summary-seconds", "0");
        return p;
    }
}
