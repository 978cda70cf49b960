package caravan.devstack;

import java.nio.file.Path;

import caravan.ops.LocalStack;

/**
 * Found by the app through {@code ServiceLoader<LocalStack.Factory>} when caravan-devstack.jar is on
 * the classpath; the production jar has no compile-time link to the devstack.
 */
public final class DevStackFactory implements LocalStack.Factory {
  @Override
  public LocalStack start(Path dataDir) {
    return DevStack.start(dataDir);
  }
}
