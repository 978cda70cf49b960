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
 * Elasticsearch) with the same checks the start-up and the reloader use. Exits 1 on any error, so
 * it can gate a deployment.
 */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Validate the configuration and the route files without connecting to anything; exit 1 on an error.")
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
        Path file = RunCommand.configOrDefault(config);
        Settings settings = Settings.read(file, null, System.getenv(), errors);

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
}
