package caravan.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One server JVM: its output goes to a log file, it is stopped with SIGTERM and then killed, and it
 * never outlives this JVM (a shutdown hook here; a watchdog on the child's side for SIGKILL).
 */
final class ChildProcess {
  /**
   * How long a server may take to become ready. Quiet, both start in under 10 s; a 2-core CI machine
   * busy with other builds has been seen to need 40 s. {@code -Dcaravan.devstack.start-timeout=<s>}.
   */
  static final Duration START_TIMEOUT =
      Duration.ofSeconds(Long.getLong("caravan.devstack.start-timeout", 180));
  private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ChildProcess::stopAll, "devstack-stop-children"));
  }

  private final String name;
  private final Path logFile;
  private Process process;

  ChildProcess(String name, Path logFile) {
    this.name = name;
    this.logFile = logFile;
  }

  /** Starts the command; output is appended to the log file, so a restart keeps the earlier history. */
  synchronized void start(List<String> command, Path workDir) throws IOException {
    if (isAlive()) throw new IllegalStateException(name + " is already running");
    Files.createDirectories(logFile.getParent());
    Files.writeString(logFile, "==== devstack: starting " + name + " at " + Instant.now() + "\n==== "
        + String.join(" ", command) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    // stdin stays a pipe on purpose: the child's watchdog exits when it reaches end of file.
    process = builder.start();
    LIVE.add(this);
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Exit code if the process has ended, else null. */
  synchronized Integer exitCode() {
    return process == null || process.isAlive() ? null : process.exitValue();
  }

  /** SIGTERM, wait up to {@code grace}, then SIGKILL. Safe to call twice or from a shutdown hook. */
  synchronized void stop(Duration grace) {
    if (process == null) return;
    try {
      if (process.isAlive()) {
        process.destroy();
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
          process.waitFor(10, TimeUnit.SECONDS);
        }
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      try {
        process.getOutputStream().close();
      } catch (IOException ignored) {
        // the child is gone either way
      }
      LIVE.remove(this);
    }
  }

  Path logFile() {
    return logFile;
  }

  /** The last lines of the log, for error messages. */
  String tail(int lines) {
    return tail(logFile, lines);
  }

  static String tail(Path file, int lines) {
    if (!Files.isRegularFile(file)) return "(no log at " + file + ")";
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      int size = (int) Math.min(length, 64 * 1024);
      byte[] bytes = new byte[size];
      in.seek(length - size);
      in.readFully(bytes);
      String[] all = new String(bytes, StandardCharsets.UTF_8).split("\n");
      List<String> last = new ArrayList<>();
      for (int i = Math.max(size == length ? 0 : 1, all.length - lines); i < all.length; i++) last.add(all[i]);
      return String.join("\n", last);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /**
   * Puts ChildWatchdog.class, alone, in a directory for the child's classpath. Adding this library's whole
   * classpath entry instead would drag the test classes and their log4j config into the server.
   */
  static Path installWatchdog(Path target) {
    String resource = ChildWatchdog.class.getName().replace('.', '/') + ".class";
    Path file = target.resolve(resource);
    try (InputStream in = ChildWatchdog.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException(resource + " not found on the classpath");
      Files.createDirectories(file.getParent());
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("Interrupted", e);
    }
  }

  private static void stopAll() {
    // In parallel: Kafka and Elasticsearch each may take seconds to shut down cleanly.
    List<Thread> stoppers = new ArrayList<>();
    for (ChildProcess child : LIVE) {
      Thread t = new Thread(() -> child.stop(Duration.ofSeconds(20)), "devstack-stop-" + child.name);
      t.start();
      stoppers.add(t);
    }
    for (Thread t : stoppers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

    /** The child's process id, or -1 before the first start. */
  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  @Override
  public String toString() {
    return name + (process == null ? " (not started)" : " (pid " + process.pid() + ")");
  }
}
