package caravan.ops;

/** A local Kafka + Elasticsearch for the demo; implemented outside the production jar (the devstack). */
public interface LocalStack extends AutoCloseable {
  String kafkaBootstrap();

  String elasticsearchUrl();

  void close();

  interface Factory {
    LocalStack start(java.nio.file.Path dataDir) throws Exception;
  }
}
