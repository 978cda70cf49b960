package caravan.soak;

/**
 * The size of a soak run: how many lines, how fast, and how many faults of each kind (issue 15).
 *
 * @param lines          lines written in all, spread evenly over {@code files}
 * @param files          log files the one shipper follows
 * @param linesPerSecond the steady write rate (all files together)
 * @param rotateEvery    every this many lines written, each file rotates (rename and copytruncate alternate)
 * @param indexers       indexer processes in one consumer group
 * @param partitions     partitions of the raw topic
 * @param shipperKills   SIGKILLs of the shipper, each restarted after 0-10 s
 * @param indexerKills   SIGKILLs of a random indexer, each restarted after 0-10 s
 * @param indexerTerms   SIGTERMs of a random indexer (a rebalance), each restarted after 0-10 s
 * @param esStopSeconds  Elasticsearch stopped once for this long (0: never)
 * @param kafkaStopSeconds the Kafka broker stopped once for this long (0: never)
 * @param throttleSeconds 429s on 10% of bulk items for this long (0: never)
 */
public record SoakConfig(int lines, int files, int linesPerSecond, int rotateEvery, int indexers, int partitions,
                         int shipperKills, int indexerKills, int indexerTerms, int esStopSeconds,
                         int kafkaStopSeconds, int throttleSeconds) {

    /** The full size: a million lines, ten kills of each kind, every outage. */
    public static SoakConfig full() {
        return new SoakConfig(1_000_000, 4, 2_000, 100_000, 3, 6, 10, 10, 2, 30, 20, 60);
    }

    /** The default suite's size: 100,000 lines, three kills of each kind, one ES stop, one rebalance. */
    public static SoakConfig reduced() {
        return new SoakConfig(100_000, 4, 1_000, 10_000, 3, 6, 3, 3, 1, 30, 0, 0);
    }

    /** Same faults, another number of lines (the rotation interval follows: a tenth). */
    public SoakConfig withLines(int n, int rate) {
        return new SoakConfig(n, files, rate, Math.max(1, n / 10), indexers, partitions, shipperKills, indexerKills,
                indexerTerms, esStopSeconds, kafkaStopSeconds, throttleSeconds);
    }

    /** How long writing takes at the steady rate, in milliseconds. */
    public long writeMillis() {
        return lines * 1000L / linesPerSecond;
    }
}
