package caravan.devstack;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;

/**
 * What the devstack's servers share: a directory, a child JVM with its log, and the start, stop and
 * restart life cycle. A subclass says how to build its command line and when it is ready.
 */
abstract class ServerProcess<S extends ServerProcess<S>> implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  protected final Path dir;
  protected final ChildProcess process;
  private final String displayName;

  ServerProcess(String displayName, String name, Path dir) {
    this.displayName = displayName;
    this.dir = dir.toAbsolutePath();
    this.process = new ChildProcess(name, this.dir.resolve(name + ".log"));
  }

  /** The command line of the server's JVM; may prepare files and pick ports first. */
  protected abstract List<String> command() throws IOException;

  /** Blocks until the server answers, or throws {@link DevStackException}. */
  protected abstract void waitUntilReady();

  /** Where clients reach it, for the log. */
  protected abstract String address();

  protected abstract Logger log();

  @SuppressWarnings("unchecked")
  private S self() {
    return (S) this;
  }

  /** Starts the server and waits until it is ready; returns this. A running server is left as it is. */
  public synchronized S start() {
    if (process.isAlive()) return self();
    long startNanos = System.nanoTime();
    try {
      process.start(command(), dir);
      waitUntilReady();
      log().info("{} ready at {} in {} ms (log: {})", displayName, address(),
          (System.nanoTime() - startNanos) / 1_000_000, process.logFile());
      return self();
    } catch (IOException e) {
      stop();
      throw new DevStackException(displayName + " did not start in " + dir + ": " + e + "\n" + process.tail(40), e);
    } catch (RuntimeException e) {
      stop();
      throw e;
    }
  }

  /** Stops the server (SIGTERM, its own clean shutdown, then SIGKILL after 30 s). Keeps data and ports. */
  public synchronized void stop() {
    process.stop(STOP_GRACE);
  }

  public synchronized S restart() {
    stop();
    return start();
  }

  @Override
  public void close() {
    stop();
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  public Path dir() {
    return dir;
  }

  public Path logFile() {
    return process.logFile();
  }

  /** The server JVM's process id (-1 before the first start), e.g. to pin it to CPUs in a benchmark. */
  public long pid() {
    return process.pid();
  }
}
