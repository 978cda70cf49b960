package caravan.parse;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@link ConformanceTest}'s comparison of one peer field with Caravan's document: the peer's names and
 * shapes (Filebeat's {@code source.address}, Logstash's {@code request}, VRL's {@code hostport}) against
 * Caravan's ECS fields, numbers by value and times by instant (or by wall clock where the peer has no zone).
 */
final class PeerFields {
    private PeerFields() {
    }

    /** Null when Caravan agrees with the peer's value for {@code field}, else what Caravan has. */
    static String differs(String field, Object want, Map<String, Object> got, boolean wallClock) {
        switch (field) {
            case "source.address" -> {
                for (String k : List.of("source.ip", "source.domain", "source.address")) {
                    if (want.equals(got.get(k))) {
                        return null;
                    }
                }
                return "source.ip=" + got.get("source.ip") + " source.domain=" + got.get("source.domain");
            }
            case "peer" -> {
                Object chain = got.get("network.forwarded_ip");
                Object peerIp = chain instanceof List<?> l ? l.get(l.size() - 1) : got.get("source.ip");
                return want.equals(peerIp) ? null : String.valueOf(peerIp);
            }
            case "@timestamp" -> {
                return sameTime(String.valueOf(want), String.valueOf(got.get("@timestamp")), wallClock) ? null
                        : String.valueOf(got.get("@timestamp"));
            }
            case "http.request.method" -> {
                return String.valueOf(want).equalsIgnoreCase(String.valueOf(got.get(field))) ? null
                        : String.valueOf(got.get(field));
            }
            case "protocol" -> {
                String v = "HTTP/" + got.get("http.version");
                return want.equals(v) ? null : v;
            }
            case "request" -> {
                String v = got.get("http.request.method") + " " + got.get("url.original") + " HTTP/" + got.get("http.version");
                return want.equals(v) ? null : v;
            }
            case "hostport" -> {
                String v = got.get("url.domain") + (got.containsKey("url.port") ? ":" + got.get("url.port") : "");
                return want.equals(v) ? null : v;
            }
            case "event.duration.seconds" -> {
                Object ns = got.get("event.duration");
                return ns instanceof Number n && new BigDecimal(String.valueOf(want)).compareTo(
                        BigDecimal.valueOf(n.longValue(), 9)) == 0 ? null : String.valueOf(ns);
            }
            case "nginx.access.remote_ip_list" -> {
                List<?> l = (List<?>) want;
                Object chain = got.get("network.forwarded_ip");
                if (l.size() == 1) {
                    return chain == null ? null : String.valueOf(chain);
                }
                return sameItems(l, chain) ? null : String.valueOf(chain);
            }
            case "related.ip" -> {
                return sameItems((List<?>) want, got.get(field)) ? null : String.valueOf(got.get(field));
            }
            case "apache.access.ssl.cipher" -> {
                return want.equals(got.get("tls.cipher")) ? null : String.valueOf(got.get("tls.cipher"));
            }
            case "apache.access.ssl.protocol" -> {
                String v = "TLSv" + got.get("tls.version");
                return want.equals(v) ? null : v;
            }
            case "destination.domain", "destination.ip" -> {
                Object v = got.containsKey(field) ? got.get(field) : got.get("url.domain");
                return want.equals(v) ? null : String.valueOf(v);
            }
            case "destination.port" -> {
                Object v = got.containsKey(field) ? got.get(field) : got.get("url.port");
                return same(want, v) ? null : String.valueOf(v);
            }
            default -> {
                Object g = got.get(field);
                if ("-".equals(want)) {
                    return g == null ? null : String.valueOf(g);
                }
                return same(want, g) ? null : String.valueOf(g);
            }
        }
    }

    private static boolean sameItems(List<?> want, Object got) {
        if (!(got instanceof List<?> g) || g.size() != want.size()) {
            return false;
        }
        List<String> a = new ArrayList<>(want.stream().map(String::valueOf).toList());
        List<String> b = new ArrayList<>(g.stream().map(String::valueOf).toList());
        a.sort(null);
        b.sort(null);
        return a.equals(b);
    }

    private static boolean same(Object want, Object got) {
        if (Objects.equals(want, got)) {
            return true;
        }
        if (want == null || got == null) {
            return false;
        }
        try {
            return new BigDecimal(String.valueOf(want)).compareTo(new BigDecimal(String.valueOf(got))) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean sameTime(String want, String got, boolean wallClock) {
        try {
            OffsetDateTime w = OffsetDateTime.parse(want);
            Instant g = Instant.parse(got);
            if (wallClock) {
                return w.toLocalDateTime().equals(g.atOffset(ZoneOffset.UTC).toLocalDateTime());
            }
            return w.toInstant().equals(g);
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
