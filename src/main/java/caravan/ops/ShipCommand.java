package caravan.ops;

import picocli.CommandLine.Command;

/** {@code caravan ship}: only the ship half (files to Kafka), for a process on the machine with the logs. */
@Command(name = "ship", mixinStandardHelpOptions = true,
        description = "Run only the ship half: tail the route files' sources into Kafka (caravan.index.enabled=false).")
public final class ShipCommand extends HalfCommand {

    @Override
    String otherHalf() {
        return "caravan.index.enabled";
    }
}
