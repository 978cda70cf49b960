package caravan.devstack;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs another main class in a server's child JVM and ends that JVM when the parent is gone.
 *
 * <p>A test JVM killed with SIGKILL runs no shutdown hook, so its servers would live on. The parent
 * holds the write end of the child's stdin and the kernel closes it however the parent dies, so end of
 * file on stdin is the reliable signal; polling the parent's pid covers the rest.
 *
 * <p>Usage: {@code ChildWatchdog <parent-pid> <main-class> <args...>}. This class is copied on its own
 * (as a .class file) onto the child's classpath, so it must not depend on anything else in this package
 * and must not have nested classes.
 */
public final class ChildWatchdog {
  private ChildWatchdog() {}

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) throw new IllegalArgumentException("usage: ChildWatchdog <parent-pid> <main-class> <args...>");
    long parentPid = Long.parseLong(args[0]);
    daemon("devstack-stdin-watch", () -> {
      try {
        while (System.in.read() >= 0) {
          // the content does not matter, only its end
        }
      } catch (IOException ignored) {
        // a broken pipe means the same as end of file
      }
      exit("stdin closed (the parent is stopping this server, or is gone)");
    });
    daemon("devstack-parent-watch", () -> {
      while (ProcessHandle.of(parentPid).map(ProcessHandle::isAlive).orElse(false)) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
      exit("parent process " + parentPid + " is gone");
    });
    try {
      Class.forName(args[1]).getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void exit(String why) {
    System.err.println("[devstack] " + why + ", shutting down");
    daemon("devstack-halt", () -> {
      try {
        Thread.sleep(30_000);
      } catch (InterruptedException ignored) {
        // halt anyway
      }
      Runtime.getRuntime().halt(1); // the server's own shutdown hooks hung
    });
    System.exit(0); // runs the server's shutdown hooks, e.g. Kafka's controlled shutdown
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }
}
