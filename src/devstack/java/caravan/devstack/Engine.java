package caravan.devstack;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The search engines the devstack can run, each a real server from its own jars on Maven Central, in a
 * child JVM of the Java it needs.
 */
public enum Engine {
  ELASTICSEARCH_9("elasticsearch-9", "Elasticsearch", "9.2.2", 21),
  ELASTICSEARCH_8("elasticsearch-8", "Elasticsearch", "8.19.21", 17),
  OPENSEARCH_2("opensearch-2", "OpenSearch", "2.19.6", 17);

  private final String id;
  private final String product;
  private final String version;
  private final int java;

  Engine(String id, String product, String version, int java) {
    this.id = id;
    this.product = product;
    this.version = version;
    this.java = java;
  }

  /** The name {@code caravan demo --engine} takes, e.g. {@code elasticsearch-8}. */
  public String id() {
    return id;
  }

  public String version() {
    return version;
  }

  /** The lowest Java release the server runs on (and its launcher is compiled for). */
  public int java() {
    return java;
  }

  public boolean isOpenSearch() {
    return this == OPENSEARCH_2;
  }

  /** By {@link #id()}; the message lists the valid names. */
  public static Engine byId(String id) {
    for (Engine e : values()) {
      if (e.id.equals(id)) return e;
    }
    throw new IllegalArgumentException("unknown engine '" + id + "': use one of "
        + Arrays.stream(values()).map(Engine::id).collect(Collectors.joining(", ")));
  }

  /** Elasticsearch 9 where a JDK 21+ is installed, else Elasticsearch 8.19, which runs on Java 17. */
  public static Engine forThisMachine() {
    return JavaFinder.has(ELASTICSEARCH_9.java) ? ELASTICSEARCH_9 : ELASTICSEARCH_8;
  }

  @Override
  public String toString() {
    return product + " " + version;
  }
}
