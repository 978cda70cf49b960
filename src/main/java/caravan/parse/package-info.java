/**
 * Stage: parsing, one log line to one {@link caravan.event.LogEvent} in ECS names. Imports only
 * the ground floor ({@code caravan.event}, {@code caravan.common}).
 *
 * <h2>Formats</h2>
 * A source names its format with a spec, compiled once by {@link caravan.parse.Parsers#forFormat}
 * (the grammar is documented there): Apache presets ({@code common}, {@code combined},
 * {@code vhost_combined}, {@code referer}, {@code agent}) or any {@code apache:<LogFormat>}; nginx
 * presets ({@code nginx}/{@code nginx_combined}, {@code main}) or any {@code nginx:<log_format>};
 * {@code apache_error}; {@code app} (application text, patterns from a {@code patterns.yaml}, see
 * {@link caravan.parse.AppPattern} and {@link caravan.parse.AppPatterns}); {@code json}; and names
 * given with {@link caravan.parse.Parsers#define} ({@code caravan.formats.<name>=<spec>}).
 *
 * <h2>Access logs</h2>
 * LogFormat and log_format strings compile into the same left-to-right scanner
 * ({@link caravan.parse.AccessLogParser}): no regex, linear in the line. Fields land in ECS:
 * <ul>
 *   <li>{@code %h %a $remote_addr}: {@code source.ip} if an IP (v4 or v6), else {@code source.domain} /
 *       {@code source.address}; {@code %{X-Forwarded-For}i $http_x_forwarded_for}: its first entry to
 *       {@code client.ip}, the chain to {@code http.request.header.x-forwarded-for};</li>
 *   <li>{@code %t %{format}t $time_local $time_iso8601 $msec}: {@code @timestamp} in UTC, from the
 *       line's own offset, else the configured zone ({@code tz=}, default UTC);</li>
 *   <li>{@code %r $request}: {@code http.request.method}, {@code url.original}/{@code path}/{@code query}
 *       ({@code url.scheme}/{@code domain}/{@code port} for absolute targets), {@code http.version}
 *       without {@code HTTP/};</li>
 *   <li>{@code %>s $status}: {@code http.response.status_code}; {@code %b %B $body_bytes_sent}:
 *       {@code http.response.body.bytes}; {@code %O $bytes_sent}: {@code http.response.bytes};
 *       {@code %I $request_length}: {@code http.request.bytes};</li>
 *   <li>{@code %D} (µs), {@code %T}/{@code %{s|ms|us}T}, {@code $request_time} (s.ms):
 *       {@code event.duration} in nanoseconds;</li>
 *   <li>{@code %v $server_name}: {@code destination.domain}; {@code %V $host %{Host}i}:
 *       {@code url.domain} (and {@code url.port}); {@code %p $server_port}: {@code server.port};
 *       {@code %A $server_addr}: {@code server.ip}; {@code %{remote}p $remote_port}: {@code source.port};</li>
 *   <li>Referer and User-Agent: {@code http.request.referrer}, {@code user_agent.original}; other
 *       headers {@code http.request.header.<name>} / {@code http.response.header.<name>}
 *       (Content-Type: {@code http.*.mime_type}); Apache cookies, env, notes and other directives under
 *       {@code apache.access.*}; unknown nginx variables as {@code nginx.<name>}.</li>
 * </ul>
 * {@code message} is the raw line. A value of {@code -} is absent.
 *
 * <h2>Hostile input</h2>
 * A line fails ({@link caravan.parse.ParseException} with position and reason, to the dead-letter
 * topic) only when it does not have the format's shape. Within the shape, values are read leniently:
 * a request of {@code -} or TLS handshake bytes keeps the rest of the line (the unreadable request goes
 * to {@code caravan.request.invalid}); a value that cannot be read (status {@code abc}) is dropped and
 * named in {@code caravan.invalid_fields}; a value over 8,191 characters is cut
 * ({@code caravan.truncated}, Elasticsearch refuses longer keyword terms); a line cut short after its
 * time keeps what it has ({@code caravan.incomplete}). Escapes ({@code \"}, {@code \\}, {@code \xhh})
 * are decoded; byte runs that are not UTF-8 stay escaped.
 *
 * <h2>Other formats</h2>
 * {@code apache_error} ({@link caravan.parse.ApacheErrorLogParser}), {@code app}
 * ({@link caravan.parse.AppLogParser}) and {@code json} ({@link caravan.parse.JsonLogParser}) put the
 * message text alone in {@code message}; their classes document their fields and limits.
 *
 * <p>Parsers are immutable and thread-safe; all per-line state lives in the event and a per-line
 * {@link caravan.parse.Scan}.
 */
package caravan.parse;
