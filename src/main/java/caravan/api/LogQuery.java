package caravan.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/logs} as an Elasticsearch search: a query string, a time range, field filters by
 * short names, newest first, and paging either by offset or by an opaque {@code search_after}
 * cursor (the sort values of the last hit, for deep paging without the 10,000-hit window).
 */
public final class LogQuery {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Filter parameter to ECS field. */
    public static final Map<String, String> FILTERS = Map.ofEntries(
            Map.entry("status", "http.response.status_code"),
            Map.entry("ip", "source.ip"),
            Map.entry("path", "url.path"),
            Map.entry("method", "http.request.method"),
            Map.entry("dataset", "event.dataset"),
            Map.entry("host", "host.name"),
            Map.entry("service", "service.name"),
            Map.entry("level", "log.level"),
            Map.entry("threat", "caravan.threat.categories"),
            Map.entry("bot", "caravan.bot.is_bot"),
            Map.entry("country", "source.geo.country_iso_code"));
    public static final Set<String> PARAMS;

    static {
        Set<String> p = new LinkedHashSet<>(Set.of("q", "from", "to", "size", "offset", "search_after"));
        p.addAll(FILTERS.keySet());
        PARAMS = Set.copyOf(p);
    }

    private LogQuery() {
    }

    /** The search body; throws {@link BadRequest} for a parameter that makes no sense. */
    public static String body(Params p, Instant now, int maxSize, QueryLimits limits) {
        ObjectNode body = JSON.createObjectNode();
        int size = p.integer("size", 20, 0, maxSize);
        body.put("size", size);
        body.put("track_total_hits", 10_000);
        body.put("timeout", limits.timeout());
        if (limits.terminateAfter() > 0) {
            body.put("terminate_after", limits.terminateAfter());
        }
        ArrayNode filter = body.putObject("query").putObject("bool").putArray("filter");
        Instant from = p.time("from", null, now);
        Instant to = p.time("to", null, now);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new BadRequest("parameter 'from' (" + from + ") must be before 'to' (" + to + ")");
        }
        if (from != null || to != null) {
            ObjectNode range = filter.addObject().putObject("range").putObject("@timestamp");
            if (from != null) {
                range.put("gte", from.toString());
            }
            if (to != null) {
                range.put("lt", to.toString());
            }
        }
        if (p.get("q") != null) {
            // query_string: Lucene syntax (status:>=500 AND url.path:/api*); a syntax error comes back from ES as 400.
            limits.checkRegexes(p.get("q"));
            filter.addObject().putObject("query_string").put("query", p.get("q")).put("default_field", "message")
                    .put("allow_leading_wildcard", limits.allowLeadingWildcard());
        }
        for (Map.Entry<String, String> f : FILTERS.entrySet()) {
            String v = p.get(f.getKey());
            if (v == null) {
                continue;
            }
            check(f.getKey(), v);
            ArrayNode values = filter.addObject().putObject("terms").putArray(f.getValue());
            for (String one : v.split(",")) {
                values.add(one.trim());
            }
        }
        ArrayNode sort = body.putArray("sort");
        sort.addObject().put("@timestamp", "desc");
        // Tie-breakers so that search_after never skips or repeats a hit with the same timestamp.
        sort.addObject().putObject("log.file.path").put("order", "desc").put("missing", "_last");
        sort.addObject().putObject("log.offset").put("order", "desc").put("missing", "_last");
        String after = p.get("search_after");
        String offset = p.get("offset");
        if (after != null && offset != null) {
            throw new BadRequest("give either 'offset' or 'search_after', not both");
        }
        if (after != null) {
            body.set("search_after", cursor(after));
        } else {
            int off = p.integer("offset", 0, 0, 10_000);
            if (off + size > 10_000) {
                throw new BadRequest("offset + size must stay within 10000: page deeper with 'search_after' (the 'next' of a response)");
            }
            body.put("from", off);
        }
        return body.toString();
    }

    private static void check(String key, String v) {
        for (String one : v.split(",")) {
            String t = one.trim();
            switch (key) {
                case "status" -> {
                    if (!t.matches("[1-5]\\d\\d")) {
                        throw new BadRequest("parameter 'status': '" + t + "' is not an HTTP status code (100 to 599)");
                    }
                }
                case "ip" -> {
                    if (!t.matches("[0-9a-fA-F:.]+(/\\d{1,3})?")) {
                        throw new BadRequest("parameter 'ip': '" + t + "' is not an IP address");
                    }
                }
                case "bot" -> {
                    if (!t.equals("true") && !t.equals("false")) {
                        throw new BadRequest("parameter 'bot': use true or false");
                    }
                }
                default -> {
                    if (t.isEmpty()) {
                        throw new BadRequest("parameter '" + key + "' has an empty value");
                    }
                }
            }
        }
    }

    /** The response: hits' sources, the total, and the cursor for the next page. */
    public static ObjectNode response(JsonNode es, int size) {
        ObjectNode out = JSON.createObjectNode();
        JsonNode total = es.path("hits").path("total");
        out.put("total", total.path("value").asLong());
        out.put("total_relation", total.path("relation").asText("eq"));
        // A search cut by the timeout or terminate_after says so: its hits are not all there are.
        out.put("partial", es.path("timed_out").asBoolean(false) || es.path("terminated_early").asBoolean(false));
        ArrayNode hits = out.putArray("hits");
        JsonNode last = null;
        for (JsonNode h : es.path("hits").path("hits")) {
            ObjectNode doc = hits.addObject();
            doc.put("_id", h.path("_id").asText());
            doc.put("_index", h.path("_index").asText());
            doc.set("_source", h.path("_source"));
            last = h.path("sort");
        }
        if (last != null && hits.size() == size) {
            out.put("next", Base64.getUrlEncoder().withoutPadding().encodeToString(last.toString().getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    private static JsonNode cursor(String token) {
        try {
            JsonNode n = JSON.readTree(new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8));
            if (!n.isArray() || n.size() != 3) {
                throw new BadRequest("parameter 'search_after': not a cursor from this API (use the 'next' of a response)");
            }
            return n;
        } catch (IllegalArgumentException | java.io.IOException e) {
            throw new BadRequest("parameter 'search_after': not a cursor from this API (use the 'next' of a response)");
        }
    }
}
