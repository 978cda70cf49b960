package caravan.ops;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.camel.impl.DefaultCamelContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code caravan check}: the configuration and the route files, validated offline (no Kafka, no
 * Elasticsearch) with the same checks the start-up and the reloader use; with {@code --connect}, then
 * connects to the servers with the real settings ({@link KafkaConnectCheck}). Exits 1 on any error,
 * so it can gate a deployment.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate the configuration, the route files and every file the settings name (rule files, GeoIP"
                + " databases, secret files, CRS directory); with --connect, also connect to Kafka and the search engine"
                + " with the real settings and report TLS, authentication, the cluster and the topics; exit 1 on an error.")
public final class CheckCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (default: ./application.properties when present).")
    Path config;

    @Option(names = "--routes", paramLabel = "DIR",
            description = "Route directory (default: caravan.routes.dir from the settings).")
    Path routes;

    @Option(names = "--alerts", paramLabel = "FILE",
            description = "Alert rules file (default: caravan.alert.rules-file from the settings).")
    Path alerts;

    @Option(names = "--connect", description = "Also connect to Kafka and the search engine with the real settings:"
            + " TLS and authentication, cluster, topics (created when caravan.kafka.create-topics is true), engine"
            + " and version, privileges where the engine can say; one line each.")
    boolean connect;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> errors = new ArrayList<>();
        Path file = RunCommand.configOrDefault(config);
        Settings settings = Settings.read(file, null, System.getenv(), errors);
        if (settings.environmentWarning() != null) {
            err.println("warning: " + settings.environmentWarning());
        }
        List<String> warnings = new ArrayList<>();
        errors.addAll(OperatorFiles.check(settings.properties(), changed(settings), warnings));

        Path dir = routes != null ? routes : Path.of(settings.get("caravan.routes.dir"));
        int files = 0;
        int count = 0;
        if (!Files.isDirectory(dir)) {
            errors.add("route directory " + dir + " does not exist");
        } else {
            try (DefaultCamelContext ctx = new DefaultCamelContext()) {
                ctx.getPropertiesComponent().setInitialProperties(settings.properties());
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.yaml")) {
                    List<Path> sorted = new ArrayList<>();
                    ds.forEach(sorted::add);
                    sorted.sort(null);
                    for (Path f : sorted) {
                        files++;
                        try {
                            count += RouteFiles.load(ctx, f, Files.readString(f, StandardCharsets.UTF_8)).size();
                        } catch (RouteFiles.RouteFileException e) {
                            errors.add("route file " + e.getMessage());
                        }
                    }
                }
            } catch (IOException e) {
                errors.add("cannot read route directory " + dir + ": " + e.getMessage());
            }
        }
        String rulesNote = "";
        if (Boolean.parseBoolean(settings.get("caravan.alert.enabled"))) {
            Path rules = alerts != null ? alerts : Path.of(settings.get("caravan.alert.rules-file"));
            try {
                int n = caravan.alert.AlertRules.load(rules, settings.notifiers().channels()).size();
                rulesNote = ", " + n + " alert rule(s) in " + rules;
            } catch (IllegalArgumentException e) {
                errors.add("alert rules " + e.getMessage());
            }
        }
        warnings.forEach(w -> err.println("warning: " + w));
        if (errors.isEmpty() && connect) {
            errors.addAll(new KafkaConnectCheck(settings::getOrEmpty, out).run());
            errors.addAll(new SearchConnectCheck(settings::getOrEmpty, out).run());
            out.flush();
        }
        if (!errors.isEmpty()) {
            errors.forEach(e -> err.println("error: " + e));
            err.println(errors.size() + " error(s)");
            err.flush();
            return 1;
        }
        out.println("ok: " + (file == null ? "built-in defaults" : file) + ", " + files + " route file(s) with "
                + count + " route(s) in " + dir + rulesNote);
        out.flush();
        return 0;
    }

    /** The keys whose value differs from the built-in default: what the operator chose. */
    private static java.util.Set<String> changed(Settings settings) {
        java.util.Properties defaults = ConfigValidator.loadDefaults();
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String k : settings.properties().stringPropertyNames()) {
            if (!settings.getOrEmpty(k).equals(defaults.getProperty(k, "").trim())) {
                out.add(k);
            }
        }
        return out;
    }
}
