package caravan.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caravan run}: the whole pipeline, ship and index, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the pipeline (ship and index) against the configured Kafka and Elasticsearch until stopped.")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (default: ./application.properties when present).")
    Path config;

    @Override
    public Integer call() throws Exception {
        new CaravanRuntime(configOrDefault(config), null).runUntilStopped();
        return 0;
    }

    static Path configOrDefault(Path config) {
        if (config != null) {
            return config;
        }
        Path local = Path.of("application.properties");
        return Files.isRegularFile(local) ? local : null;
    }
}
