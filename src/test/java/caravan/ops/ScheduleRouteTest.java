package caravan.ops;

import static org.assertj.core.api.Assertions.assertThat;

import caravan.search.ElasticsearchClients;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.impl.DefaultCamelContext;
import org.awaitility.Awaitility;
import org.elasticsearch.client.RestClient;
import org.junit.jupiter.api.Test;

/** The scheduled prune runs on its Quartz cron and deletes only the indices past the age. */
class ScheduleRouteTest {

    @Test
    void aBadCronFailsNamingItsKey() throws Exception {
        try (DefaultCamelContext ctx = new DefaultCamelContext()) {
            Properties p = new Properties();
            p.setProperty("caravan.schedule.prune.enabled", "false");
            p.setProperty("caravan.schedule.prune.cron", "every night");
            p.setProperty("caravan.schedule.prune.older-than", "30d");
            ctx.getPropertiesComponent().setInitialProperties(p);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ctx.addRoutes(new ScheduleRoute(Settings.load(null, p, java.util.Map.of()))))
                    .hasMessageContaining("caravan.schedule.prune.cron = 'every night' is not a Quartz cron expression");
        }
    }

    @Test
    void pruneRunsOnItsCronAndDeletesOnlyExpiredIndices() throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        String old = "logs-apache.access-default-" + today.minusDays(40).toString().replace('-', '.');
        String fresh = "logs-apache.access-default-" + today.minusDays(2).toString().replace('-', '.');
        List<String> deleted = new CopyOnWriteArrayList<>();
        HttpServer es = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        es.createContext("/", ex -> {
            String reply = "{\"acknowledged\":true}";
            if (ex.getRequestMethod().equals("GET") && ex.getRequestURI().getPath().startsWith("/_cat/indices")) {
                reply = "[{\"index\":\"" + old + "\",\"docs.count\":\"5\",\"store.size\":\"1kb\"},"
                        + "{\"index\":\"" + fresh + "\",\"docs.count\":\"7\",\"store.size\":\"2kb\"}]";
            } else if (ex.getRequestMethod().equals("DELETE")) {
                deleted.add(ex.getRequestURI().getPath().substring(1));
            }
            byte[] b = reply.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        es.start();
        try (RestClient client = ElasticsearchClients.create("http://127.0.0.1:" + es.getAddress().getPort(), null, null, null);
             DefaultCamelContext ctx = new DefaultCamelContext()) {
            Properties p = new Properties();
            p.setProperty("caravan.schedule.prune.enabled", "true");
            p.setProperty("caravan.schedule.prune.cron", "* * * * * ?"); // every second
            p.setProperty("caravan.schedule.prune.older-than", "30d");
            p.setProperty("caravan.schedule.backfill.enabled", "false");
            p.setProperty("caravan.schedule.backfill.cron", "0 15 * * * ?");
            p.setProperty("caravan.schedule.backfill.range", "2h");
            ctx.getPropertiesComponent().setInitialProperties(p);
            ctx.getRegistry().bind("caravanElasticsearchClient", client);
            ctx.addRoutes(new ScheduleRoute(Settings.load(null, p, java.util.Map.of())));
            ctx.start();
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !deleted.isEmpty());
            assertThat(deleted).containsOnly(old);
            assertThat(ctx.getRouteController().getRouteStatus("schedule-backfill").isStarted()).isFalse();
        } finally {
            es.stop(0);
        }
    }
}
