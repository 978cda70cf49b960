package caravan.bench;

import caravan.event.LogEvent;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The baseline: the combined format read the way grok-based pipelines read it, with one
 * {@code java.util.regex} pattern shaped like COMBINEDAPACHELOG (host-or-IP alternation, user,
 * HTTPDATE, optional request parts, quoted strings with escapes) and a {@code DateTimeFormatter} for
 * the time, filling the same {@link LogEvent} fields as Caravan's compiled scanner. Written for the
 * comparison only; not a parser anyone should use.
 */
final class GrokStyleCombinedParser implements LineParser {
    private static final String IPV4 = "(?:(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)";
    private static final String IPV6 = "(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}";
    private static final String HOSTNAME = "\\b(?:[0-9A-Za-z][0-9A-Za-z-]{0,62})(?:\\.(?:[0-9A-Za-z][0-9A-Za-z-]{0,62}))*\\.?\\b";
    /** A quoted string with backslash escapes, captured without its quotes (grok's QS). */
    private static String qs(String name) {
        return "\"(?<" + name + ">(?:[^\"\\\\]|\\\\.)*)\"";
    }

    private static final Pattern COMBINED = Pattern.compile(
            "^(?<clientip>" + IPV6 + "|" + IPV4 + "|" + HOSTNAME + ") (?<ident>[a-zA-Z0-9._-]+|-) (?<auth>[a-zA-Z0-9._@-]+|-)"
            + " \\[(?<timestamp>\\d{2}/[A-Za-z]{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4})\\]"
            + " \"(?:(?<verb>[A-Za-z]+) (?<request>\\S+)(?: HTTP/(?<httpversion>\\d+(?:\\.\\d+)?))?|(?<rawrequest>(?:[^\"\\\\]|\\\\.)*))\""
            + " (?<response>\\d{3}) (?:(?<bytes>\\d+)|-)"
            + " " + qs("referrer") + " " + qs("agent") + "$");
    private static final DateTimeFormatter HTTPDATE = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH);

    @Override
    public void parse(String line, LogEvent e) throws ParseException {
        Matcher m = COMBINED.matcher(line);
        if (!m.matches()) {
            throw new ParseException(0, "does not match COMBINEDAPACHELOG");
        }
        e.message = line;
        e.sourceIp = m.group("clientip");
        String auth = m.group("auth");
        e.userName = "-".equals(auth) ? null : auth;
        try {
            e.timestampMillis = OffsetDateTime.parse(m.group("timestamp"), HTTPDATE).toInstant().toEpochMilli();
        } catch (DateTimeParseException x) {
            throw new ParseException(m.start("timestamp"), "bad time");
        }
        e.method = m.group("verb");
        String target = m.group("request");
        if (target != null) {
            e.urlOriginal = target;
            int q = target.indexOf('?');
            e.urlPath = q < 0 ? target : target.substring(0, q);
            e.urlQuery = q < 0 || q + 1 == target.length() ? null : target.substring(q + 1);
        }
        e.httpVersion = m.group("httpversion");
        e.statusCode = Integer.parseInt(m.group("response"));
        String bytes = m.group("bytes");
        e.bodyBytes = bytes == null ? LogEvent.ABSENT : Long.parseLong(bytes);
        String ref = m.group("referrer");
        e.referrer = "-".equals(ref) ? null : ref;
        String agent = m.group("agent");
        e.userAgent = "-".equals(agent) ? null : agent;
    }

    @Override
    public String dataset() {
        return "apache.access";
    }
}
