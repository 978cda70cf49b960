package caravan.bench;

import caravan.event.EcsJsonWriter;
import caravan.event.LogEvent;
import caravan.event.Timestamps;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Combined-format parsing, one thread (one core): Caravan's compiled scanner against a grok-style
 * {@code java.util.regex} baseline, line to {@link LogEvent} and line to the JSON bytes that are
 * indexed. The lines are the real corpus, cycled. Run with {@code bench/jmh.sh}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class ParsingBenchmark {
    private String[] lines;
    private int next;
    private final LogEvent event = new LogEvent();
    private LogEvent[] parsed;
    private LineParser caravan;
    private LineParser regex;
    private EcsJsonWriter writer;
    private ObjectMapper mapper;

    @Setup
    public void setUp() throws IOException, ParseException {
        List<String> l = new ArrayList<>();
        try (InputStream in = ParsingBenchmark.class.getResourceAsStream("/corpus/apache_combined_10k.log");
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                l.add(line);
            }
        }
        lines = l.toArray(new String[0]);
        caravan = Parsers.forFormat("combined");
        regex = new GrokStyleCombinedParser();
        writer = new EcsJsonWriter();
        mapper = new ObjectMapper();
        parsed = new LogEvent[lines.length];
        for (int i = 0; i < lines.length; i++) {
            parsed[i] = new LogEvent();
            caravan.parse(lines[i], parsed[i]);
        }
    }

    private String nextLine() {
        String s = lines[next];
        if (++next == lines.length) {
            next = 0;
        }
        return s;
    }

    /** Caravan: line to LogEvent (the record). */
    @Benchmark
    public LogEvent caravanLineToEvent() throws ParseException {
        LogEvent e = event;
        e.reset();
        caravan.parse(nextLine(), e);
        return e;
    }

    /** Baseline: the same fields with a grok-style regex and DateTimeFormatter. */
    @Benchmark
    public LogEvent regexLineToEvent() {
        LogEvent e = event;
        e.reset();
        try {
            regex.parse(nextLine(), e);
        } catch (ParseException x) {
            e.statusCode = -2; // the corpus's one cut-short line does not match the regex
        }
        return e;
    }

    /** Caravan: line to the document's JSON bytes with EcsJsonWriter (what the bulk request carries). */
    @Benchmark
    public byte[] caravanLineToJson() throws ParseException {
        LogEvent e = event;
        e.reset();
        caravan.parse(nextLine(), e);
        return writer.write(e);
    }

    /** Baseline: regex to LogEvent, then the same writer. */
    @Benchmark
    public byte[] regexLineToJson() {
        LogEvent e = event;
        e.reset();
        try {
            regex.parse(nextLine(), e);
        } catch (ParseException x) {
            return null;
        }
        return writer.write(e);
    }

    /** The JSON step alone, EcsJsonWriter, on events parsed in advance. */
    @Benchmark
    public byte[] jsonEcsWriter() {
        LogEvent e = parsed[next];
        if (++next == parsed.length) {
            next = 0;
        }
        return writer.write(e);
    }

    /** The JSON step alone, the obvious alternative: a nested Map through Jackson's ObjectMapper. */
    @Benchmark
    public byte[] jsonObjectMapperOfMap() throws Exception {
        LogEvent e = parsed[next];
        if (++next == parsed.length) {
            next = 0;
        }
        return mapper.writeValueAsBytes(toMap(e));
    }

    private static Map<String, Object> toMap(LogEvent e) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("@timestamp", Timestamps.iso(e.timestampMillis));
        doc.put("message", e.message);
        put(doc, "source", "ip", e.sourceIp);
        put(doc, "user", "name", e.userName);
        Map<String, Object> http = new LinkedHashMap<>();
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("method", e.method);
        if (e.referrer != null) {
            request.put("referrer", e.referrer);
        }
        http.put("request", request);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("status_code", e.statusCode);
        if (e.bodyBytes != LogEvent.ABSENT) {
            response.put("body", Map.of("bytes", e.bodyBytes));
        }
        http.put("response", response);
        if (e.httpVersion != null) {
            http.put("version", e.httpVersion);
        }
        doc.put("http", http);
        Map<String, Object> url = new LinkedHashMap<>();
        url.put("original", e.urlOriginal);
        url.put("path", e.urlPath);
        if (e.urlQuery != null) {
            url.put("query", e.urlQuery);
        }
        doc.put("url", url);
        put(doc, "user_agent", "original", e.userAgent);
        return doc;
    }

    private static void put(Map<String, Object> doc, String object, String field, Object value) {
        if (value != null) {
            doc.put(object, Map.of(field, value));
        }
    }
}
