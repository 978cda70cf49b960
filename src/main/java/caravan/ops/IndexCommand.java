package caravan.ops;

import picocli.CommandLine.Command;

/** {@code caravan index}: only the index half; run several in one consumer group to scale out. */
@Command(name = "index", mixinStandardHelpOptions = true,
        description = "Run only the index half: Kafka to Elasticsearch (caravan.ship.enabled=false; the source routes"
                + " of caravan.routes.dir are not loaded). "
                + "Start more with the same caravan.index.group to share the partitions.")
public final class IndexCommand extends HalfCommand {

    @Override
    String otherHalf() {
        return "caravan.ship.enabled";
    }
}
