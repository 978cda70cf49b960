package caravan.ops;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;

/** {@code caravan ship} and {@code caravan index}: the whole runtime with the other half switched off. */
abstract class HalfCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Settings file (default: ./application.properties when present).")
    Path config;

    /** The {@code caravan.<half>.enabled} key of the half this process does not run. */
    abstract String otherHalf();

    @Override
    public Integer call() throws Exception {
        Properties p = new Properties();
        p.setProperty(otherHalf(), "false");
        new CaravanRuntime(RunCommand.configOrDefault(config), p).runUntilStopped();
        return 0;
    }
}
