package caravan.ops;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.apache.camel.impl.DefaultCamelContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code caravan check}: the configuration and the route files, validated offline (no Kafka, no
 * Elasticsearch) with the same checks the start-up and the reloader use. Exits 1 on any error, so
 * it can gate a deployment.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate the configuration, the route files and every file the settings name (rule files, GeoIP"
                + " databases, secret files, CRS directory) without connecting to anything; exit 1 on an error.")
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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> errors = new ArrayList<>();
        Properties settings = ConfigValidator.loadDefaults();
        Path file = RunCommand.configOrDefault(config);
        ConfigValidator validator = new ConfigValidator();
        java.util.Set<String> operatorKeys = new java.util.HashSet<>();
        List<String> warnings = new ArrayList<>();
        if (file != null) {
            Properties p = new Properties();
            try (var in = Files.newInputStream(file)) {
                p.load(in);
                errors.addAll(validator.validate(asMap(p), file.toString()));
                errors.addAll(OperatorFiles.secretsIn(asMap(p), validator.knownKeys(), file.toString()));
                changed(p, settings, operatorKeys);
                settings.putAll(p);
            } catch (IOException e) {
                errors.add("configuration file " + file + " cannot be read: " + (Files.exists(file) ? e.getMessage() : "it does not exist"));
            }
        }
        Map<String, String> env = validator.fromEnvironment(System.getenv());
        errors.addAll(validator.validate(env, "the environment"));
        settings.putAll(env);
        Properties envProps = new Properties();
        envProps.putAll(env);
        changed(envProps, ConfigValidator.loadDefaults(), operatorKeys);
        errors.addAll(OperatorFiles.check(settings, operatorKeys, warnings));

        Path dir = routes != null ? routes : Path.of(settings.getProperty("caravan.routes.dir", "routes"));
        int files = 0;
        int count = 0;
        if (!Files.isDirectory(dir)) {
            errors.add("route directory " + dir + " does not exist");
        } else {
            try (DefaultCamelContext ctx = new DefaultCamelContext()) {
                ctx.getPropertiesComponent().setInitialProperties(settings);
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
        if (Boolean.parseBoolean(settings.getProperty("caravan.alert.enabled", "true").trim())) {
            Path rules = alerts != null ? alerts : Path.of(settings.getProperty("caravan.alert.rules-file", "alerts.yaml").trim());
            try {
                int n = caravan.alert.AlertRules.load(rules, configuredChannels(settings)).size();
                rulesNote = ", " + n + " alert rule(s) in " + rules;
            } catch (IllegalArgumentException e) {
                errors.add("alert rules " + e.getMessage());
            }
        }
        warnings.forEach(w -> err.println("warning: " + w));
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
    private static void changed(Properties given, Properties defaults, java.util.Set<String> into) {
        for (String k : given.stringPropertyNames()) {
            if (!given.getProperty(k, "").trim().equals(defaults.getProperty(k, "").trim())) {
                into.add(k);
            }
        }
    }

    /** The notification channels the settings make available: log and index always, webhook and e-mail when configured. */
    static java.util.Set<String> configuredChannels(Properties settings) {
        java.util.Set<String> ch = new java.util.HashSet<>(List.of("log", "index"));
        if (!settings.getProperty("caravan.alert.webhook.url", "").isBlank()) {
            ch.add("webhook");
        }
        if (!settings.getProperty("caravan.alert.email.host", "").isBlank()) {
            ch.add("email");
        }
        return ch;
    }

    private static Map<String, String> asMap(Properties p) {
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        return m;
    }
}
