package caravan.ops;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code caravan version}: the same text as {@code caravan --version}. */
@Command(name = "version", mixinStandardHelpOptions = true, description = "Print Caravan's, Java's and Camel's versions.")
public final class VersionCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        for (String line : new Caravan.Version().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        spec.commandLine().getOut().flush();
    }
}
