package caravan.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code caravan} command line: one jar, one subcommand per job. */
@Command(name = "caravan", mixinStandardHelpOptions = true, versionProvider = Caravan.Version.class,
        description = "Ship log files to Kafka, parse and enrich them, and index them into Elasticsearch.",
        subcommands = {RunCommand.class, DemoCommand.class, CommandLine.HelpCommand.class})
public final class Caravan implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Caravan()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Caravan.class.getPackage().getImplementationVersion();
            return new String[] {"caravan " + (v == null ? "development" : v),
                    "Java " + System.getProperty("java.version") + ", Apache Camel " + org.apache.camel.CamelContext.class.getPackage().getImplementationVersion()};
        }
    }
}
