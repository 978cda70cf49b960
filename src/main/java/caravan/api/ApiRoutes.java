package caravan.api;

import caravan.alert.AlertEvent;
import caravan.alert.AnalyseRoute;
import caravan.alert.Analyser;
import caravan.alert.Rule;
import caravan.search.SearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;

/**
 * The REST API under {@code /api}, with Camel's REST DSL on platform-http and its OpenAPI document
 * at {@code /api/openapi.json}, served by the metrics and health server ({@code caravan.http.*}).
 *
 * <p>Why not a server of its own: with a second platform-http server (camel.server.*) next to the
 * management one, Camel 4.17's platform-http engine cannot tell which port its consumers belong to
 * and looks for a router on 8080 (it resolves the port only when a single server exists). One
 * server also means one port to open; the bearer token guards {@code /api}, not the metrics.
 */
public final class ApiRoutes extends RouteBuilder {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> STATS_PARAMS = Set.of("from", "to", "dataset", "size");
    private static final Set<String> ALERTS_PARAMS = Set.of("status", "size");
    private static final Set<String> ANALYSE_PARAMS = Set.of("from", "to");

    private final ApiSettings settings;

    public ApiRoutes(ApiSettings settings) {
        this.settings = settings;
    }

    @Override
    public void configure() throws Exception {
        if (!settings.enabled()) {
            return;
        }
        if (!settings.served()) {
            log.info("REST API off: it is served by the HTTP server, and caravan.http.enabled is false");
            return;
        }
        SearchClient es = new SearchClient(getContext().getRegistry().lookupByNameAndType("caravanElasticsearchClient", RestClient.class));
        Analyser analyser = getContext().getRegistry().lookupByNameAndType(AnalyseRoute.ANALYSER, Analyser.class);
        byte[] expected = settings.token() == null ? null : ("Bearer " + settings.token()).getBytes(StandardCharsets.UTF_8);
        int maxSize = settings.maxSize();
        String indices = settings.logIndices();

        // The port names which platform-http server the REST consumers attach to (camel.server.port).
        restConfiguration().component("platform-http")
                .host(settings.host()).port(settings.port())
                .apiContextPath("/api/openapi.json")
                .apiProperty("api.title", "Caravan API")
                .apiProperty("api.version", "1")
                .apiProperty("api.description", "Search logs, read window statistics, alerts and rules. "
                        + "Send 'Authorization: Bearer <token>' when caravan.api.token is set.");

        onException(BadRequest.class).handled(true).process(x -> error(x, 400, x.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage()));
        onException(Unauthorized.class).handled(true).process(x -> {
            x.getMessage().setHeader("WWW-Authenticate", "Bearer realm=\"caravan\"");
            error(x, 401, x.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class).getMessage());
        });
        onException(java.io.IOException.class).handled(true).process(x -> {
            Exception e = x.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            log.warn("API call failed: {}", e.toString());
            error(x, 503, "Elasticsearch could not answer: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        });
        onException(Exception.class).handled(true).process(x -> {
            Exception e = x.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            log.error("API call failed", e);
            error(x, 500, "internal error (logged): " + e.getClass().getSimpleName());
        });

        rest("/api").description("Caravan").produces("application/json")
                .get("/logs").description("Search indexed log events, newest first")
                    .param().name("q").type(RestParamType.query).description("Query string (Lucene syntax), e.g. url.path:/api* AND NOT status:200").endParam()
                    .param().name("from").type(RestParamType.query).description("Start (inclusive): 2h (ago), 2026-11-24, 2026-11-24T04:00:00Z").endParam()
                    .param().name("to").type(RestParamType.query).description("End (exclusive), same forms").endParam()
                    .param().name("status").type(RestParamType.query).description("http.response.status_code, comma-separated").endParam()
                    .param().name("ip").type(RestParamType.query).description("source.ip (or CIDR)").endParam()
                    .param().name("path").type(RestParamType.query).description("url.path, exact").endParam()
                    .param().name("method").type(RestParamType.query).description("http.request.method").endParam()
                    .param().name("dataset").type(RestParamType.query).description("event.dataset").endParam()
                    .param().name("host").type(RestParamType.query).description("host.name").endParam()
                    .param().name("service").type(RestParamType.query).description("service.name").endParam()
                    .param().name("level").type(RestParamType.query).description("log.level").endParam()
                    .param().name("threat").type(RestParamType.query).description("caravan.threat.categories").endParam()
                    .param().name("bot").type(RestParamType.query).description("caravan.bot.is_bot: true or false").endParam()
                    .param().name("country").type(RestParamType.query).description("source.geo.country_iso_code").endParam()
                    .param().name("size").type(RestParamType.query).dataType("integer").description("Hits per page (default 20)").endParam()
                    .param().name("offset").type(RestParamType.query).dataType("integer").description("Hits to skip (offset + size at most 10000)").endParam()
                    .param().name("search_after").type(RestParamType.query).description("The 'next' cursor of the previous page").endParam()
                    .to("direct:api-logs")
                .get("/stats").description("Window statistics (caravan-stats-*), oldest first")
                    .param().name("from").type(RestParamType.query).description("Windows starting at or after (default 1h ago)").endParam()
                    .param().name("to").type(RestParamType.query).description("Windows starting before (default now)").endParam()
                    .param().name("dataset").type(RestParamType.query).description("event.dataset").endParam()
                    .param().name("size").type(RestParamType.query).dataType("integer").description("Most windows (default 100)").endParam()
                    .to("direct:api-stats")
                .get("/alerts").description("Alerts: firing ones and the most recent resolved ones")
                    .param().name("status").type(RestParamType.query).description("firing, resolved or all (default all)").endParam()
                    .param().name("size").type(RestParamType.query).dataType("integer").description("Most alerts (default 100)").endParam()
                    .to("direct:api-alerts")
                .get("/rules").description("The alert rules in force and the state of alerts.yaml")
                    .to("direct:api-rules")
                .post("/analyse").description("Evaluate a past range of windows now (back-fill); notifies like the live run")
                    .param().name("from").type(RestParamType.query).required(true).description("Start").endParam()
                    .param().name("to").type(RestParamType.query).required(true).description("End").endParam()
                    .to("direct:api-analyse");

        from("direct:api-logs").routeId("api-logs").process(x -> {
            authorize(x, expected);
            Params p = new Params(x.getMessage().getHeader(Exchange.HTTP_QUERY, String.class), LogQuery.PARAMS);
            String body = LogQuery.body(p, Instant.now(), maxSize);
            JsonNode r = search(es, "/" + indices + "/_search?ignore_unavailable=true&allow_no_indices=true", body);
            ok(x, LogQuery.response(r, p.integer("size", 20, 0, maxSize)));
        });
        from("direct:api-stats").routeId("api-stats").process(x -> {
            authorize(x, expected);
            Analyser a = need(analyser);
            Params p = new Params(x.getMessage().getHeader(Exchange.HTTP_QUERY, String.class), STATS_PARAMS);
            Instant now = Instant.now();
            Instant from = p.time("from", now.minus(Duration.ofHours(1)), now);
            Instant to = p.time("to", now, now);
            if (!from.isBefore(to)) {
                throw new BadRequest("parameter 'from' (" + from + ") must be before 'to' (" + to + ")");
            }
            ArrayNode windows = a.store().stats(from, to, p.get("dataset"), p.integer("size", 100, 1, 10_000));
            ok(x, counted("windows", windows));
        });
        from("direct:api-alerts").routeId("api-alerts").process(x -> {
            authorize(x, expected);
            Analyser a = need(analyser);
            Params p = new Params(x.getMessage().getHeader(Exchange.HTTP_QUERY, String.class), ALERTS_PARAMS);
            String status = p.get("status") == null ? "all" : p.get("status");
            if (!Set.of("firing", "resolved", "all").contains(status)) {
                throw new BadRequest("parameter 'status': '" + status + "' is not firing, resolved or all");
            }
            ArrayNode list = JSON.createArrayNode();
            a.store().alerts(status.equals("all") ? null : status, null, p.integer("size", 100, 1, 10_000)).forEach(list::add);
            ok(x, counted("alerts", list));
        });
        from("direct:api-rules").routeId("api-rules").process(x -> {
            authorize(x, expected);
            Analyser a = need(analyser);
            new Params(x.getMessage().getHeader(Exchange.HTTP_QUERY, String.class), Set.of());
            ObjectNode out = JSON.createObjectNode();
            out.put("file", a.rules().file().toString());
            out.put("loaded_at", a.rules().loadedAt().toString());
            out.put("last_error", a.rules().lastError());
            out.put("window_seconds", a.settings().window().toSeconds());
            ArrayNode rules = out.putArray("rules");
            for (Rule r : a.rules().rules()) {
                ObjectNode n = rules.addObject();
                n.put("id", r.id()).put("type", r.type()).put("description", r.description()).put("severity", r.severity())
                        .put("dataset", r.dataset()).put("cooldown_minutes", r.cooldown().toMinutes());
                r.channels().forEach(n.putArray("notify")::add);
            }
            ok(x, out);
        });
        from("direct:api-analyse").routeId("api-analyse").process(x -> {
            authorize(x, expected);
            Analyser a = need(analyser);
            Params p = new Params(x.getMessage().getHeader(Exchange.HTTP_QUERY, String.class), ANALYSE_PARAMS);
            Instant now = Instant.now();
            Instant from = p.time("from", null, now);
            Instant to = p.time("to", null, now);
            if (from == null || to == null) {
                throw new BadRequest("parameters 'from' and 'to' are required");
            }
            if (!from.isBefore(to) || Duration.between(from, to).compareTo(Duration.ofDays(31)) > 0) {
                throw new BadRequest("'from' must be before 'to', at most 31 days apart");
            }
            Analyser.Report r = a.backfill(from, to);
            ObjectNode out = JSON.createObjectNode();
            out.put("from", r.from().toString()).put("to", r.to().toString()).put("windows", r.windows());
            ArrayNode events = out.putArray("events");
            for (AlertEvent e : r.events()) {
                events.add(e.toJson(JSON));
            }
            ok(x, out);
        });
    }

    /** {@code {"count": n, "<name>": [...]}}. */
    private static ObjectNode counted(String name, ArrayNode list) {
        ObjectNode out = JSON.createObjectNode();
        out.put("count", list.size());
        out.set(name, list);
        return out;
    }

    private static Analyser need(Analyser a) {
        if (a == null) {
            throw new BadRequest("alerting is off in this process (caravan.alert.enabled=false)");
        }
        return a;
    }

    /** Constant-time comparison: the time to refuse a token says nothing about how much of it was right. */
    static void authorize(Exchange x, byte[] expected) {
        if (expected == null) {
            return;
        }
        String given = x.getMessage().getHeader("Authorization", String.class);
        if (given == null) {
            throw new Unauthorized("this API needs 'Authorization: Bearer <token>'");
        }
        if (!MessageDigest.isEqual(expected, given.trim().getBytes(StandardCharsets.UTF_8))) {
            throw new Unauthorized("wrong token");
        }
    }

    /** A search whose 400 from Elasticsearch (a query string that does not parse) is the caller's 400. */
    private static JsonNode search(SearchClient es, String path, String body) throws java.io.IOException {
        try {
            return es.call("POST", path, body);
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() == 400) {
                JsonNode err = JSON.readTree(e.getResponse().getEntity().getContent());
                JsonNode root = err.path("error").path("root_cause").path(0);
                throw new BadRequest("Elasticsearch refused the query: " + root.path("reason").asText(err.path("error").path("reason").asText()));
            }
            throw e;
        }
    }

    private static void ok(Exchange x, JsonNode body) throws java.io.IOException {
        x.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        x.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        x.getMessage().setBody(JSON.writeValueAsString(body));
    }

    private static void error(Exchange x, int status, String message) throws java.io.IOException {
        ObjectNode n = JSON.createObjectNode();
        n.put("status", status).put("error", message);
        x.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        x.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        x.getMessage().setBody(JSON.writeValueAsString(n));
    }
}
