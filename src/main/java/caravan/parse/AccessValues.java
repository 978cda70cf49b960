package caravan.parse;

import caravan.event.LogEvent;

/** Where the value of an access-log field lands in the event, by the field's kind. */
final class AccessValues {
    private AccessValues() {
    }

    /** Puts the value {@code s[from, to)} where the field's kind says. A lone {@code -} means absent. */
    static void apply(AccessField f, String s, int from, int to, LogEvent e, Scan scan) {
        if (from >= to || (to - from == 1 && s.charAt(from) == '-')) {
            return;
        }
        switch (f.kind) {
            case AccessField.REQUEST -> Http.request(s, from, to, e, scan);
            case AccessField.STATUS -> {
                long v = Http.number(s, from, to);
                if (v >= 100 && v <= 999) {
                    e.statusCode = (int) v;
                } else {
                    scan.invalid("http.response.status_code");
                }
            }
            case AccessField.BODY_BYTES -> e.bodyBytes = count(s, from, to, "http.response.body.bytes", scan);
            case AccessField.SOURCE_HOST -> Http.sourceHost(text(s, from, to, scan), e);
            case AccessField.USER -> e.userName = text(s, from, to, scan);
            case AccessField.REFERRER -> e.referrer = text(s, from, to, scan);
            case AccessField.USER_AGENT -> e.userAgent = text(s, from, to, scan);
            case AccessField.IGNORE -> {
            }
            case AccessField.METHOD -> {
                if (Http.isToken(s, from, to)) {
                    e.method = s.substring(from, to);
                } else {
                    scan.invalid("http.request.method");
                }
            }
            case AccessField.URL_PATH -> e.urlPath = text(s, from, to, scan);
            case AccessField.QUERY_WITH_MARK -> {
                if (s.charAt(from) == '?') {
                    from++;
                }
                if (from < to) {
                    e.urlQuery = text(s, from, to, scan);
                }
            }
            case AccessField.QUERY -> e.urlQuery = text(s, from, to, scan);
            case AccessField.URI -> {
                String v = text(s, from, to, scan);
                Http.target(v, 0, v.length(), e, scan);
            }
            case AccessField.PROTOCOL -> {
                if (s.startsWith("HTTP/", from) && from + 5 < to) {
                    e.httpVersion = Http.version(s, from + 5, to);
                } else {
                    e.put("network.protocol", text(s, from, to, scan).toLowerCase(java.util.Locale.ROOT));
                }
            }
            case AccessField.RESPONSE_BYTES -> putCount(e, "http.response.bytes", s, from, to, scan);
            case AccessField.REQUEST_BYTES -> putCount(e, "http.request.bytes", s, from, to, scan);
            case AccessField.LONG -> putCount(e, f.target, s, from, to, scan);
            case AccessField.DURATION -> {
                long ns = Times.decimalNanos(s, from, to, f.unitNanos);
                if (ns != Times.INVALID) {
                    e.durationNanos = ns;
                } else {
                    scan.invalid("event.duration");
                }
            }
            case AccessField.FORWARDED_FOR -> Http.forwardedFor(text(s, from, to, scan), e);
            case AccessField.URL_DOMAIN -> {
                String v = text(s, from, to, scan);
                Http.hostPort(v, 0, v.length(), "url.domain", "url.port", e);
            }
            case AccessField.DEST_DOMAIN -> e.put("destination.domain", text(s, from, to, scan));
            case AccessField.SERVER_PORT -> port(e, "server.port", s, from, to, scan);
            case AccessField.SOURCE_PORT -> port(e, "source.port", s, from, to, scan);
            case AccessField.SECONDS_SUM -> secondsSum(f, s, from, to, e, scan);
            case AccessField.TLS_PROTOCOL -> Http.tlsProtocol(text(s, from, to, scan), e);
            case AccessField.IP -> {
                String v = text(s, from, to, scan);
                if (Ips.isIp(v)) {
                    e.put(f.target, v);
                } else {
                    scan.invalid(f.target);
                }
            }
            default -> e.put(f.target, text(s, from, to, scan));
        }
    }

    private static String text(String s, int from, int to, Scan scan) {
        if (!scan.hasEscape(s, from, to)) {
            return scan.clip(s, from, to);
        }
        return scan.clip(Escapes.decode(s, from, to));
    }

    private static long count(String s, int from, int to, String name, Scan scan) {
        long v = Http.number(s, from, to);
        if (v < 0) {
            scan.invalid(name);
            return LogEvent.ABSENT;
        }
        return v;
    }

    private static void putCount(LogEvent e, String name, String s, int from, int to, Scan scan) {
        long v = count(s, from, to, name, scan);
        if (v != LogEvent.ABSENT) {
            e.put(name, v);
        }
    }

    private static void port(LogEvent e, String name, String s, int from, int to, Scan scan) {
        long v = Http.number(s, from, to);
        if (v >= 0 && v <= 65_535) {
            e.put(name, v);
        } else {
            scan.invalid(name);
        }
    }

    /** nginx writes one time per upstream tried, {@code ", "} between and {@code " : "} across groups. */
    private static void secondsSum(AccessField f, String s, int from, int to, LogEvent e, Scan scan) {
        long total = 0;
        int i = from;
        boolean any = false;
        while (i < to) {
            while (i < to && (s.charAt(i) == ' ' || s.charAt(i) == ',' || s.charAt(i) == ':')) {
                i++;
            }
            int start = i;
            while (i < to && s.charAt(i) != ' ' && s.charAt(i) != ',' && s.charAt(i) != ':') {
                i++;
            }
            if (i > start && !(i - start == 1 && s.charAt(start) == '-')) {
                long ns = Times.decimalNanos(s, start, i, 1_000_000_000L);
                if (ns == Times.INVALID) {
                    scan.invalid(f.target);
                    return;
                }
                total += ns;
                any = true;
            }
        }
        if (any) {
            e.put(f.target, total / 1e9);
        }
    }
}
