package caravan.parse;

/**
 * One field of a compiled access-log format (an Apache {@code %} directive or an nginx
 * {@code $variable}): what it means (its kind and, for generic fields, the ECS name it fills) and,
 * once the layout is known, how its end is found in a line.
 */
final class AccessField {
    // What the value means. Apache and nginx directives with the same meaning share a kind.
    static final int IGNORE = 0;
    static final int SOURCE_HOST = 1;      // %h %a $remote_addr
    static final int USER = 2;             // %u $remote_user
    static final int TIME_CLF_BRACKETED = 3; // %t: [dd/MMM/yyyy:HH:mm:ss +zzzz]
    static final int TIME_CLF = 4;         // $time_local
    static final int TIME_ISO = 5;         // $time_iso8601
    static final int TIME_STRF = 6;        // %{format}t
    static final int TIME_EPOCH_DECIMAL = 7; // $msec: seconds with a fraction
    static final int REQUEST = 8;          // %r $request
    static final int METHOD = 9;           // %m $request_method
    static final int URL_PATH = 10;        // %U $uri
    static final int QUERY_WITH_MARK = 11; // %q: "?a=b" or ""
    static final int QUERY = 12;           // $args $query_string
    static final int URI = 13;             // $request_uri: the target, path and query
    static final int PROTOCOL = 14;        // %H $server_protocol
    static final int STATUS = 15;          // %s %>s $status
    static final int BODY_BYTES = 16;      // %b %B $body_bytes_sent
    static final int RESPONSE_BYTES = 17;  // %O $bytes_sent
    static final int REQUEST_BYTES = 18;   // %I $request_length
    static final int DURATION = 19;        // %D %T $request_time
    static final int REFERRER = 20;        // %{Referer}i $http_referer
    static final int USER_AGENT = 21;      // %{User-Agent}i $http_user_agent
    static final int FORWARDED_FOR = 22;   // %{X-Forwarded-For}i $http_x_forwarded_for
    static final int URL_DOMAIN = 23;      // %V $host %{Host}i: host[:port]
    static final int DEST_DOMAIN = 24;     // %v $server_name
    static final int SERVER_PORT = 25;     // %p $server_port
    static final int SOURCE_PORT = 26;     // %{remote}p $remote_port
    static final int STRING = 27;          // anything else with a name: target
    static final int LONG = 28;            // a count with a name: target
    static final int SECONDS_SUM = 29;     // $upstream_response_time: "0.01, 0.02 : 0.03"
    static final int TLS_PROTOCOL = 30;    // %{SSL_PROTOCOL}x $ssl_protocol
    static final int IP = 31;              // an address with a name (%A $server_addr): target

    /** How the end of the value is found. */
    static final int SELF = 0;      // the value's own syntax ends it (times)
    static final int DELIM = 1;     // up to the literal that follows
    static final int ANCHORED = 2;  // up to the format's closing literal, at the end of the line
    static final int REST = 3;      // to the end of the line
    static final int NATURAL = 4;   // field directly followed by a field: by what the value can contain

    final int kind;
    final String target;
    final Strftime time;
    final boolean endTime;
    final long unitNanos;
    /** The directive or variable as written, for messages. */
    final String source;

    int extent;
    boolean quoted;
    /** Prefer literal matches followed by this character class: 0 any, 1 digit or '-', else that char. */
    int lookahead;
    /** NATURAL: the next field's mandatory first character, or 0. */
    char stopAt;

    AccessField(int kind, String target, String source) {
        this(kind, target, null, false, 0, source);
    }

    AccessField(int kind, String target, Strftime time, boolean endTime, long unitNanos, String source) {
        this.kind = kind;
        this.target = target;
        this.time = time;
        this.endTime = endTime;
        this.unitNanos = unitNanos;
        this.source = source;
    }

    static AccessField duration(long unitNanos, String source) {
        return new AccessField(DURATION, null, null, false, unitNanos, source);
    }

    static AccessField time(Strftime time, boolean endTime, String source) {
        return new AccessField(TIME_STRF, null, time, endTime, 0, source);
    }

    boolean selfDelimited() {
        return kind == TIME_CLF_BRACKETED || kind == TIME_CLF || kind == TIME_ISO || kind == TIME_STRF
                || kind == TIME_EPOCH_DECIMAL;
    }

    boolean numeric() {
        return kind == STATUS || kind == BODY_BYTES || kind == RESPONSE_BYTES || kind == REQUEST_BYTES
                || kind == DURATION || kind == SERVER_PORT || kind == SOURCE_PORT || kind == LONG
                || kind == TIME_EPOCH_DECIMAL;
    }

    /** The first character every value of this field starts with, or 0 when it varies. */
    char firstChar() {
        return switch (kind) {
            case TIME_CLF_BRACKETED -> '[';
            case QUERY_WITH_MARK -> '?';
            default -> 0;
        };
    }

    @Override
    public String toString() {
        return source;
    }
}
