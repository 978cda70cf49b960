package caravan.ops;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caravan index}: only the index half; run several in one consumer group to scale out. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Run only the index half: Kafka to Elasticsearch (caravan.ship.enabled=false). "
                + "Start more with the same caravan.index.group to share the partitions.")
public final class IndexCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (default: ./application.properties when present).")
    Path config;

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        p.setProperty("caravan.ship.enabled", "false");
        new CaravanRuntime(RunCommand.configOrDefault(config), p).runUntilStopped();
        return 0;
    }
}
