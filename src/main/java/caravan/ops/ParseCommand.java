package caravan.ops;

import caravan.enrich.Enricher;
import caravan.enrich.chain.Enrichers;
import caravan.event.EcsJsonWriter;
import caravan.event.LogEvent;
import caravan.index.EnrichProcessor;
import caravan.parse.LineParser;
import caravan.parse.ParseException;
import caravan.parse.Parsers;
import caravan.parse.ProxyChain;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code caravan parse}: the format and rule debugger. Reads log lines on stdin and writes, one line
 * each, the JSON document the indexer would send for it: parsed with the settings' trusted proxies,
 * then enriched by the index route's own chain ({@link Enrichers}, each step as
 * {@link EnrichProcessor} runs it: GeoIP, user agent, bots, threats or CRS), with
 * {@code event.dataset}; the envelope's {@code host.*}, {@code log.file.*} are not known here. A
 * line that does not match gives {@code {"error":{"position":N,"reason":"..."},"line":"..."}}.
 * {@code --no-enrich} prints the parser's document alone.
 */
@Command(name = "parse", mixinStandardHelpOptions = true,
        description = {"Parse log lines from stdin with a format and print, per line, the JSON document that"
                + " would be indexed, or an error object with the position and reason.",
            "The document is enriched as the index route enriches it (GeoIP, user agent, bots, threats or CRS,"
                + " from the settings file) unless --no-enrich.",
            "Exits 0 even when lines fail; the counts go to stderr."})
public final class ParseCommand implements Callable<Integer> {
    /** Error objects go into the buffered stream; neither closing nor flushing one may reach stdout. */
    private static final JsonFactory JSON = JsonFactory.builder()
            .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
            .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
            .build();

    @Option(names = "--format", paramLabel = "<preset|spec>",
            description = "A preset (combined, common, vhost_combined, referer, agent, nginx, main, apache_error, nginx_error,"
                    + " app, json), a spec (apache:<LogFormat>, nginx:<log_format>, app:<pattern>, json[into=x])"
                    + " or a defined name. Default: combined, or app with --patterns.")
    String format;

    @Option(names = "--log-format", paramLabel = "<LogFormat>",
            description = "An Apache LogFormat string, e.g. '%%h %%l %%u %%t \"%%r\" %%>s %%b'"
                    + " (as in httpd.conf, quotes escaped or not).")
    String logFormat;

    @Option(names = "--nginx-format", paramLabel = "<log_format>",
            description = "An nginx log_format, e.g. '$remote_addr [$time_local] \"$request\" $status'.")
    String nginxFormat;

    @Option(names = "--patterns", paramLabel = "<file>",
            description = "A patterns.yaml of application log patterns, for the app format.")
    Path patterns;

    @Option(names = "--no-enrich", description = "Print the parsed document without the enrichment the index route adds.")
    boolean noEnrich;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file for the enrichers and caravan.parse.trusted-proxies"
                    + " (default: ./application.properties when present).")
    Path config;

    private final InputStream in;
    private final OutputStream out;
    private final PrintStream err;

    public ParseCommand() {
        this(System.in, System.out, System.err);
    }

    /** For embedding and tests: lines come from {@code in}, documents go to {@code out}, counts to {@code err}. */
    public ParseCommand(InputStream in, OutputStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ParseCommand()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        int given = (format != null ? 1 : 0) + (logFormat != null ? 1 : 0) + (nginxFormat != null ? 1 : 0);
        if (given > 1) {
            err.println("caravan parse: give one of --format, --log-format, --nginx-format");
            return 2;
        }
        String spec = format != null ? format
                : logFormat != null ? "apache:" + logFormat
                : nginxFormat != null ? "nginx:" + nginxFormat
                : patterns != null ? "app" : "combined";
        LineParser parser;
        List<Enricher> enrichers;
        try {
            Settings settings = Settings.load(config);
            ProxyChain.trust(settings.value("caravan.parse.trusted-proxies"));
            if (patterns != null) {
                Parsers.loadPatterns(patterns);
            }
            parser = Parsers.forFormat(spec);
            enrichers = noEnrich ? List.of() : Enrichers.fromSettings(settings::value);
        } catch (RuntimeException e) {
            // A bad setting, format, patterns file or rule file (CRS, bots, threats): one line, as at start-up.
            err.println("caravan parse: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 2;
        }
        long ok = 0;
        long failed = 0;
        EcsJsonWriter writer = new EcsJsonWriter();
        LogEvent event = new LogEvent();
        OutputStream o = new BufferedOutputStream(out, 1 << 16);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16)) {
            String line;
            while ((line = r.readLine()) != null) {
                event.reset();
                try {
                    parser.parse(line, event);
                    event.put("event.dataset", parser.dataset());
                    for (Enricher enricher : enrichers) {
                        EnrichProcessor.enrich(enricher, event, parser.dataset(), "line " + (ok + failed + 1));
                    }
                    o.write(writer.write(event));
                    o.write('\n');
                    ok++;
                } catch (ParseException e) {
                    error(o, e.position(), e.reason(), line);
                    failed++;
                }
            }
        } finally {
            o.flush();
        }
        err.println("caravan parse: " + ok + " parsed, " + failed + " failed (" + parser.dataset() + ", format "
                + spec + ")");
        return 0;
    }

    private static void error(OutputStream o, int position, String reason, String line) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(o)) {
            g.writeStartObject();
            g.writeObjectFieldStart("error");
            g.writeNumberField("position", position);
            g.writeStringField("reason", reason);
            g.writeEndObject();
            g.writeStringField("line", line);
            g.writeEndObject();
        }
        o.write('\n');
    }
}
