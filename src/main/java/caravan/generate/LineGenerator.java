package caravan.generate;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Produces log lines one at a time, each at its {@link Schedule} time after {@code start}.
 * Everything random comes from one seeded {@link SplittableRandom}, whose algorithm is fixed by the
 * JDK, so a seed gives the same lines on every run and machine.
 */
public final class LineGenerator {
    /** Level mix of the application formats, in percent. */
    static final List<String> LEVELS = List.of("INFO", "WARN", "ERROR", "DEBUG");
    static final int[] LEVEL_PERCENT = {70, 15, 10, 5};
    private static final DateTimeFormatter ACCESS_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter APP_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final int CLIENTS = 400;

    private final GenFormat format;
    private final Schedule schedule;
    private final Instant start;
    private final double botShare;
    private final double attackShare;
    private final SplittableRandom random;
    private final String[] clients;
    private double seconds;
    private long lines;

    /**
     * @param botShare    share of requests from crawlers and scripts, 0..1
     * @param attackShare share of requests that are attacks, 0..1
     */
    public LineGenerator(GenFormat format, Schedule schedule, Instant start, long seed, double botShare,
                         double attackShare) {
        if (botShare < 0 || attackShare < 0 || botShare + attackShare > 1) {
            throw new IllegalArgumentException("--bots and --attacks are shares from 0 to 1 whose sum is at most 1");
        }
        this.format = format;
        this.schedule = schedule;
        this.start = start;
        this.botShare = botShare;
        this.attackShare = attackShare;
        this.random = new SplittableRandom(seed);
        this.clients = new String[CLIENTS];
        for (int i = 0; i < CLIENTS; i++) {
            clients[i] = i % 25 == 24
                    ? String.format("2001:db8:%x::%x", random.nextInt(65536), 1 + random.nextInt(65535))
                    : (11 + random.nextInt(200)) + "." + random.nextInt(256) + "." + random.nextInt(256) + "."
                    + (1 + random.nextInt(254));
        }
    }

    /** Seconds after the start of the line {@link #next()} returns next. */
    public double nextSeconds() {
        return seconds;
    }

    /** The instant the schedule started at. */
    public Instant start() {
        return start;
    }

    /** The next line, without its newline. */
    public String next() {
        Instant at = start.plusNanos(Math.round(seconds * 1e9));
        String line = switch (format) {
            case APACHE, NGINX -> access(at);
            case APP -> app(at);
            case JSON -> json(at);
        };
        seconds = schedule.next(seconds);
        lines++;
        return line;
    }

    public long lines() {
        return lines;
    }

    private String access(Instant at) {
        double kind = random.nextDouble();
        String path;
        String agent;
        int status;
        String method = pick(Vocabulary.METHODS);
        if (kind < attackShare) {
            path = pick(Vocabulary.ATTACK_PATHS);
            agent = random.nextInt(3) == 0 ? pick(Vocabulary.BROWSERS) : pick(Vocabulary.ATTACK_AGENTS);
            status = random.nextInt(4) == 0 ? 500 : random.nextBoolean() ? 404 : 403;
            method = "GET";
        } else {
            path = pick(Vocabulary.PAGES);
            agent = kind < attackShare + botShare ? pick(Vocabulary.BOTS) : pick(Vocabulary.BROWSERS);
            status = status();
        }
        long bytes = status == 304 || method.equals("HEAD") ? 0 : 200 + random.nextInt(50_000);
        String user = random.nextInt(20) == 0 ? "user" + random.nextInt(100) : "-";
        String size = bytes == 0 && format == GenFormat.APACHE ? "-" : Long.toString(bytes);
        return client() + " - " + user + " [" + ACCESS_TIME.format(at) + "] \"" + method + " " + path
                + " HTTP/1.1\" " + status + " " + size + " \"" + pick(Vocabulary.REFERRERS) + "\" \"" + agent + "\"";
    }

    private int status() {
        int r = random.nextInt(100);
        if (r < 80) {
            return 200;
        }
        if (r < 85) {
            return 304;
        }
        if (r < 88) {
            return 301;
        }
        if (r < 95) {
            return 404;
        }
        if (r < 96) {
            return 403;
        }
        return r < 99 ? 500 : 503;
    }

    private String app(Instant at) {
        String level = level();
        return APP_TIME.format(at) + " " + level + " [" + pick(Vocabulary.SERVICES) + "] " + message(level);
    }

    private String json(Instant at) {
        String level = level();
        // Every value is generated here from the vocabulary, none holds a quote or a backslash.
        return "{\"@timestamp\":\"" + at + "\",\"level\":\"" + level + "\",\"service\":\""
                + pick(Vocabulary.SERVICES) + "\",\"message\":\"" + message(level) + "\",\"trace_id\":\""
                + Long.toHexString(random.nextLong()) + "\",\"client_ip\":\"" + client() + "\",\"duration_ms\":"
                + (1 + random.nextInt(800)) + "}";
    }

    private String level() {
        int r = random.nextInt(100);
        int sum = 0;
        for (int i = 0; i < LEVEL_PERCENT.length; i++) {
            sum += LEVEL_PERCENT[i];
            if (r < sum) {
                return LEVELS.get(i);
            }
        }
        throw new IllegalStateException("the level percentages add up to " + sum + ", not 100");
    }

    private String message(String level) {
        return pick(Vocabulary.messages(level)).replace("{n}", Integer.toString(1 + random.nextInt(99_999)));
    }

    /** A client, skewed so that a few are much more active than the rest (the "most active IPs"). */
    private String client() {
        double r = random.nextDouble();
        return clients[(int) (CLIENTS * r * r * r)];
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
