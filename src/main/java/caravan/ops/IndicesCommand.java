package caravan.ops;

import caravan.common.TimeArgs;
import caravan.index.IndexRetention;
import caravan.search.ElasticsearchClients;
import caravan.search.SearchClient;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
                SearchClient es = new SearchClient(client);
                JsonNode cat = es.call("GET", "/_cat/indices/logs-*?format=json&h=index,docs.count,store.size"
                        + "&expand_wildcards=open,closed", null);
                List<String> names = new ArrayList<>();
                java.util.Map<String, String> info = new java.util.HashMap<>();
                for (JsonNode n : cat) {
                    String name = n.path("index").asText();
                    names.add(name);
                    info.put(name, n.path("docs.count").asText("?") + " docs, " + n.path("store.size").asText("?"));
                }
                List<String> expired = IndexRetention.expired(names, cutoff);
                out.println((dryRun ? "Would delete " : "Deleting ") + expired.size() + " of " + names.size()
                        + " logs-* indices whose day ended before " + cutoff + " (older than " + olderThan + ")");
                for (String name : expired) {
                    if (!dryRun) {
                        es.call("DELETE", "/" + name, null);
                    }
                    out.println((dryRun ? "  would delete " : "  deleted ") + name + " (" + info.get(name) + ")");
                }
                out.flush();
            }
            return 0;
        }
    }
}
