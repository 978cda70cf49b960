package caravan.devstack;

import java.nio.file.Path;

import caravan.ops.LocalStack;

/**
 * Found by the app through {@code ServiceLoader<LocalStack.Factory>} when caravan-devstack.jar is on
 * the classpath; the production jar has no compile-time link to the devstack.
 */
public final class DevStackFactory implements LocalStack.Factory {
  @Override
  public LocalStack start(Path dataDir, String engine, java.util.function.Consumer<String> notice) {
    Engine chosen;
    if (engine != null) {
      chosen = Engine.byId(engine);
    } else {
      chosen = Engine.forThisMachine();
      if (chosen != Engine.ELASTICSEARCH_9) {
        notice.accept("No JDK 21+ on this machine (Elasticsearch 9 needs one): running " + chosen
            + ", which runs on Java 17.");
      }
    }
    return DevStack.start(dataDir, chosen);
  }
}
