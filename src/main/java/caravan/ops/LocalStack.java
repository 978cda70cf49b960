package caravan.ops;

/** A local Kafka + Elasticsearch for the demo; implemented outside the production jar (the devstack). */
public interface LocalStack extends AutoCloseable {
  String kafkaBootstrap();

  String elasticsearchUrl();

  /** The search engine and version it runs, e.g. "Elasticsearch 8.19.21". */
  String engine();

  void close();

  interface Factory {
    /**
     * @param engine elasticsearch-9, elasticsearch-8 or opensearch-2; null picks what this machine can
     *               run (and {@code notice} gets one line saying so when that is not the default)
     */
    LocalStack start(java.nio.file.Path dataDir, String engine, java.util.function.Consumer<String> notice)
        throws Exception;
  }
}
