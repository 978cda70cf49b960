package caravan.ops;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code caravan} command line: one jar, one subcommand per job. */
@Command(name = "caravan", mixinStandardHelpOptions = true, versionProvider = Caravan.Version.class,
        description = "Ship log files to Kafka, parse and enrich them, and index them into Elasticsearch.",
        subcommands = {RunCommand.class, ShipCommand.class, IndexCommand.class, FileCommand.class, CheckCommand.class,
                ParseCommand.class, VersionCommand.class, ReplayCommand.class, IndicesCommand.class, AnalyseCommand.class, GenerateCommand.class, SetupCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class})
public final class Caravan implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        return new CommandLine(new Caravan())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // A configuration mistake is the operator's to fix: say what, not where in our code.
                    if (e instanceof IllegalArgumentException) {
                        cmd.getErr().println("caravan: " + e.getMessage());
                        return 2;
                    }
                    // A server that does not answer is not a bug either: one line, no stack trace.
                    if (e instanceof java.io.IOException) {
                        cmd.getErr().println("caravan: " + e + " (is the server up, and are caravan.elasticsearch.urls"
                                + " and caravan.kafka.brokers right?)");
                        return 1;
                    }
                    throw e;
                });
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
                    "Java " + System.getProperty("java.version") + ", Apache Camel " + camelVersion()};
        }

        private static String camelVersion() {
            try (var in = Caravan.class.getResourceAsStream("/META-INF/maven/org.apache.camel/camel-api/pom.properties")) {
                java.util.Properties p = new java.util.Properties();
                if (in != null) {
                    p.load(in);
                }
                return p.getProperty("version", "unknown");
            } catch (java.io.IOException e) {
                return "unknown";
            }
        }
    }
}
