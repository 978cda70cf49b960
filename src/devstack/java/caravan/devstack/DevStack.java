package caravan.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import caravan.common.FileTrees;
import caravan.ops.LocalStack;

/**
 * A real Kafka broker and a real Elasticsearch node, each in its own child JVM, for integration tests
 * and the demo. Nothing here is in the production jar.
 *
 * <pre>{@code
 * DevStack stack = DevStack.shared();          // tests: one per JVM, closed at exit
 * try (DevStack own = DevStack.start(dir)) {}  // or a private one
 * }</pre>
 *
 * Run {@code java -cp ... caravan.devstack.DevStack [dataDir]} to get one on the command line.
 */
public final class DevStack implements LocalStack {
  private static final Logger LOG = LoggerFactory.getLogger(DevStack.class);
  private static DevStack shared;
  private static RuntimeException sharedFailure;

  private final Path dataDir;
  private final boolean ownsDataDir;
  private final boolean isShared;
  private final KafkaServer kafka;
  private final ElasticsearchServer elasticsearch;
  private boolean closed;

  private DevStack(Path dataDir, boolean ownsDataDir, boolean isShared, Engine engine) {
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
    this.isShared = isShared;
    this.kafka = new KafkaServer(dataDir.resolve("kafka"));
    this.elasticsearch = new ElasticsearchServer(
        dataDir.resolve(engine == Engine.ELASTICSEARCH_9 ? "elasticsearch" : engine.id()), engine);
  }

  /**
   * Starts Kafka and Elasticsearch in parallel under {@code dataDir} (kept on close; an existing one is
   * reused with its data) and waits until both answer. With {@code null}, a temporary directory is used
   * and deleted on close.
   */
  public static DevStack start(Path dataDir) {
    return start(dataDir, false, Engine.ELASTICSEARCH_9);
  }

  /** Like {@link #start(Path)} with the given search engine. */
  public static DevStack start(Path dataDir, Engine engine) {
    return start(dataDir, false, engine);
  }

  /** Like {@link #start(Path)} in a temporary directory that close() deletes. */
  public static DevStack start() {
    return start(null, false, Engine.ELASTICSEARCH_9);
  }

  /**
   * One stack for the whole JVM, started on first use and stopped by a shutdown hook; {@link #close()}
   * on it does nothing, so one test class cannot pull it from under the others. A failed start is
   * remembered, so later test classes fail at once rather than wait again. It lives in a temporary
   * directory, or in {@code -Dcaravan.devstack.dir=<dir>} (kept, and reused by the next run) if set.
   */
  public static synchronized DevStack shared() {
    if (sharedFailure != null) throw new DevStackException("The shared devstack failed to start earlier", sharedFailure);
    if (shared == null) {
      String dir = System.getProperty("caravan.devstack.dir");
      try {
        shared = start(dir == null || dir.isBlank() ? null : Path.of(dir), true, Engine.ELASTICSEARCH_9);
      } catch (RuntimeException e) {
        sharedFailure = e;
        throw e;
      }
      Runtime.getRuntime().addShutdownHook(new Thread(shared::shutdown, "devstack-shared-close"));
    }
    return shared;
  }

  private static DevStack start(Path dataDir, boolean isShared, Engine engine) {
    boolean temp = dataDir == null;
    Path dir;
    try {
      dir = temp ? Files.createTempDirectory("caravan-devstack-") : Files.createDirectories(dataDir.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create the devstack directory " + dataDir, e);
    }
    DevStack stack = new DevStack(dir, temp, isShared, engine);
    long startNanos = System.nanoTime();
    List<Throwable> failures = new ArrayList<>();
    // In parallel: each server spends most of its start waiting on its own JVM's warm-up.
    Thread kafkaStarter = starter("kafka", stack.kafka::start, failures);
    Thread esStarter = starter("elasticsearch", stack.elasticsearch::start, failures);
    try {
      kafkaStarter.join();
      esStarter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      synchronized (failures) {
        failures.add(e);
      }
    }
    synchronized (failures) {
      if (!failures.isEmpty()) {
        stack.stopServers(); // the directory stays, even a temporary one: its logs tell what went wrong
        DevStackException error = new DevStackException("The devstack did not start (logs kept in " + dir + "):\n"
            + failures.stream().map(Throwable::getMessage).reduce((a, b) -> a + "\n\n" + b).orElse(""));
        failures.forEach(error::addSuppressed);
        throw error;
      }
    }
    LOG.info("Devstack ready in {} ms: Kafka {}, Elasticsearch {}, data in {}",
        (System.nanoTime() - startNanos) / 1_000_000, stack.kafkaBootstrap(), stack.elasticsearchUrl(), dir);
    return stack;
  }

  private static Thread starter(String name, Runnable start, List<Throwable> failures) {
    Thread thread = new Thread(() -> {
      try {
        start.run();
      } catch (Throwable t) {
        synchronized (failures) {
          failures.add(t);
        }
      }
    }, "devstack-start-" + name);
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  @Override
  public String kafkaBootstrap() {
    return kafka.bootstrap();
  }

  @Override
  public String elasticsearchUrl() {
    return elasticsearch.url();
  }

  @Override
  public String engine() {
    return elasticsearch.engine().toString();
  }

  public KafkaServer kafka() {
    return kafka;
  }

  public ElasticsearchServer elasticsearch() {
    return elasticsearch;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Stops Elasticsearch, keeping its data and port, e.g. to test what the pipeline does without it. */
  public void stopElasticsearch() {
    elasticsearch.stop();
  }

  /** Starts Elasticsearch again on the same data dir and HTTP port, and waits until it is yellow. */
  public void startElasticsearch() {
    elasticsearch.start();
  }

  /** The Kafka jars (broker, clients 4.4, kafka-tools with ProducerPerformance, log4j) for {@code java -cp}. */
  public static String kafkaClasspath() {
    return KafkaServer.classpath();
  }

  /** Stops both servers and deletes the data dir if this stack created it. A no-op on {@link #shared()}. */
  @Override
  public void close() {
    if (isShared) {
      LOG.debug("close() on the shared devstack ignored; it stops when the JVM exits");
      return;
    }
    shutdown();
  }

  private synchronized void shutdown() {
    if (closed) return;
    closed = true;
    stopServers();
    if (ownsDataDir) deleteRecursively(dataDir);
  }

  /** Both at once: Kafka's controlled shutdown and Elasticsearch's close each take a moment. */
  private void stopServers() {
    Thread kafkaStopper = new Thread(kafka::stop, "devstack-stop-kafka");
    kafkaStopper.start();
    elasticsearch.stop();
    try {
      kafkaStopper.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      LOG.warn("Cannot delete the devstack directory {}: {}", dir, e.toString());
    }
  }

  @Override
  public String toString() {
    return "DevStack[kafka " + kafka + ", elasticsearch " + elasticsearch + "]";
  }

  /** Starts a stack (in the given directory, else a temporary one), prints where it is, runs until Ctrl-C. */
  public static void main(String[] args) throws InterruptedException {
    Path dir = args.length > 0 ? Path.of(args[0]) : null;
    Engine engine = args.length > 1 ? Engine.byId(args[1]) : Engine.forThisMachine();
    long startNanos = System.nanoTime();
    DevStack stack = start(dir, engine);
    Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "devstack-main-close"));
    System.out.printf("Devstack up in %.1f s%n", (System.nanoTime() - startNanos) / 1e9);
    System.out.println("  Kafka bootstrap:    " + stack.kafkaBootstrap() + "   (log " + stack.kafka.logFile() + ")");
    System.out.println("  " + engine + " URL:  " + stack.elasticsearchUrl()
        + "   (log " + stack.elasticsearch.logFile() + ")");
    System.out.println("  Data:               " + stack.dataDir + (stack.ownsDataDir ? " (deleted at exit)" : ""));
    System.out.println("Ctrl-C stops both.");
    new CountDownLatch(1).await();
  }
}
