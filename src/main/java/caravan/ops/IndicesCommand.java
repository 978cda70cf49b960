package caravan.ops;

import caravan.common.TimeArgs;
import caravan.index.IndexPruner;
import caravan.search.ElasticsearchClients;
import caravan.search.SearchClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.elasticsearch.client.RestClient;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code caravan indices}: index management on any cluster. */
@Command(name = "indices", mixinStandardHelpOptions = true,
        description = "Manage Caravan's daily indices (logs-<dataset>-<namespace>-YYYY.MM.DD).",
        subcommands = {IndicesCommand.Prune.class, CommandLine.HelpCommand.class})
public final class IndicesCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code caravan indices prune --older-than 30d}: retention by the date in the name. */
    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = {"Delete Caravan daily indices whose whole day is older than --older-than, by the date"
                    + " in the index name (UTC). Only names of the form logs-<dataset>-<namespace>-YYYY.MM.DD are"
                    + " considered; any other index is left alone."})
    public static final class Prune implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--config", paramLabel = "FILE", description = "Settings file (default: ./application.properties when present).")
        Path config;

        @Option(names = "--older-than", required = true, paramLabel = "AGE", description = "e.g. 30d, 12h, 2w, P30D.")
        String olderThan;

        @Option(names = "--dry-run", description = "List what would be deleted; delete nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            Duration age = TimeArgs.age(olderThan);
            Instant cutoff = Instant.now().minus(age);
            Settings s = Settings.load(config);
            PrintWriter out = spec.commandLine().getOut();
            try (RestClient client = ElasticsearchClients.fromSettings(s::getOrEmpty)) {
                IndexPruner.Result r = new IndexPruner(new SearchClient(client)).prune(cutoff, dryRun);
                out.println((dryRun ? "Would delete " : "Deleting ") + r.expired().size() + " of " + r.indices().size()
                        + " logs-* indices whose day ended before " + cutoff + " (older than " + olderThan + ")");
                for (String name : r.expired()) {
                    out.println((dryRun ? "  would delete " : "  deleted ") + name + " (" + r.indices().get(name) + ")");
                }
                out.flush();
            }
            return 0;
        }
    }
}
