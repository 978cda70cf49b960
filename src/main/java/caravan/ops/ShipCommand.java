package caravan.ops;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caravan ship}: only the ship half (files to Kafka), for a process on the machine with the logs. */
@Command(name = "ship", mixinStandardHelpOptions = true,
        description = "Run only the ship half: tail the route files' sources into Kafka (caravan.index.enabled=false).")
public final class ShipCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (default: ./application.properties when present).")
    Path config;

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        p.setProperty("caravan.index.enabled", "false");
        new CaravanRuntime(RunCommand.configOrDefault(config), p).runUntilStopped();
        return 0;
    }
}
