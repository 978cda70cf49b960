package caravan.event;

import java.util.List;
import java.util.Map;

/**
 * One parsed log event, before it becomes an Elasticsearch document.
 *
 * <p>The fields every access log has are typed members, so the hot path (parse, enrich, write JSON)
 * allocates no maps and boxes no numbers. Everything else, from application log fields to the
 * enrichers' output, goes into {@link #fields()} under its dotted ECS name ({@code source.geo.city_name},
 * {@code labels.order_id}); the JSON writer nests them.
 *
 * <p>Instances are reusable: {@link #reset()} clears every field, so a parser can fill the same
 * object line after line.
 */
public final class LogEvent {
    /** Sentinel for "absent" in the numeric members. */
    public static final long ABSENT = Long.MIN_VALUE;

    /** {@code @timestamp}, milliseconds since the epoch (UTC), or {@link #ABSENT}. */
    public long timestampMillis = ABSENT;
    /**
     * {@code message}: for access logs the raw line (or joined multiline event); for error,
     * application and JSON logs the message text alone, the rest being in its own fields.
     */
    public String message;

    public String sourceIp;           // source.ip
    public String userName;           // user.name
    public String method;             // http.request.method
    public String urlOriginal;        // url.original
    public String urlPath;            // url.path
    public String urlQuery;           // url.query
    public String urlExtension;       // url.extension
    public String httpVersion;        // http.version, without "HTTP/"
    public String referrer;           // http.request.referrer
    public String userAgent;          // user_agent.original
    public int statusCode = -1;       // http.response.status_code
    public long bodyBytes = ABSENT;   // http.response.body.bytes
    public long durationNanos = ABSENT; // event.duration
    public String logLevel;           // log.level
    /** {@code related.ip}; typed, as most access lines have it, to keep it off the map on the hot path. */
    public List<String> relatedIp;

    private final FieldMap fields = new FieldMap(); // insertion order, no node per field

    /** The same map, typed for the JSON writer, which reads its arrays. */
    FieldMap fieldMap() {
        return fields;
    }

    /** Extra fields by dotted ECS name; values are String, Number, Boolean, List or Map. */
    public Map<String, Object> fields() {
        return fields;
    }

    /** Sets a dotted field; a null value is ignored so callers need no null checks. */
    public LogEvent put(String dottedName, Object value) {
        if (value != null) {
            fields.put(dottedName, value);
        }
        return this;
    }

    public Object get(String dottedName) {
        return fields.get(dottedName);
    }

    public void reset() {
        timestampMillis = ABSENT;
        message = null;
        sourceIp = null;
        userName = null;
        method = null;
        urlOriginal = null;
        urlPath = null;
        urlQuery = null;
        urlExtension = null;
        httpVersion = null;
        referrer = null;
        userAgent = null;
        statusCode = -1;
        bodyBytes = ABSENT;
        durationNanos = ABSENT;
        logLevel = null;
        relatedIp = null;
        fields.clear();
    }

    @Override
    public String toString() {
        return "LogEvent{ts=" + timestampMillis + ", ip=" + sourceIp + ", method=" + method + ", url=" + urlOriginal
                + ", status=" + statusCode + ", bytes=" + bodyBytes + ", fields=" + fields + '}';
    }
}
