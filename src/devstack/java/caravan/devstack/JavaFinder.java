package caravan.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds a JDK of at least a given version. Elasticsearch 9 needs Java 21+, while the project and
 * Kafka run on 17. A full JDK is required: the Elasticsearch launcher is compiled with its javac.
 */
public final class JavaFinder {
  /** Where Debian, Ubuntu and the Adoptium packages install JDKs. */
  private static final Path JVM_DIR = Path.of("/usr/lib/jvm");
  private static final Pattern VERSION = Pattern.compile("version \"(1\\.)?(\\d+)");

  private static final Map<Integer, Path> FOUND = new HashMap<>();

  private JavaFinder() {}

  /** Whether a full JDK of at least {@code minVersion} is installed. */
  public static boolean has(int minVersion) {
    try {
      find(minVersion);
      return true;
    } catch (IllegalStateException e) {
      return false;
    }
  }

  /** The {@code bin/java} of a JDK whose version is at least {@code minVersion}. */
  public static synchronized Path find(int minVersion) {
    Path cached = FOUND.get(minVersion);
    if (cached != null && Files.isExecutable(cached)) return cached;
    List<String> checked = new ArrayList<>();
    for (Path home : candidates()) {
      Path java = home.resolve("bin/java");
      if (!Files.isExecutable(java)) continue;
      int version = version(java);
      boolean hasCompiler = Files.isExecutable(home.resolve("bin/javac"));
      checked.add(home + " (" + (version < 0 ? "unknown version" : "Java " + version)
          + (hasCompiler ? "" : ", no javac") + ")");
      if (version >= minVersion && hasCompiler) {
        FOUND.put(minVersion, java);
        return java;
      }
    }
    throw new IllegalStateException("This server needs a JDK " + minVersion + " or later (a full JDK: its "
        + "launcher is compiled on first use). Checked: " + (checked.isEmpty() ? "nothing" : String.join(", ", checked))
        + ". Install one and either point JAVA_HOME at it or put it under " + JVM_DIR + ": on Debian 13 or "
        + "Ubuntu 24.04 'apt-get install openjdk-21-jdk-headless'; on Debian 12 a Temurin JDK 21+ from "
        + "https://adoptium.net (e.g. 'apt-get install temurin-21-jdk' from the Adoptium apt repository).");
  }

  /** JAVA_HOME first (the user's explicit choice), then this JVM, then every JDK under /usr/lib/jvm, newest first. */
  private static Set<Path> candidates() {
    Set<Path> homes = new LinkedHashSet<>();
    String javaHome = System.getenv("JAVA_HOME");
    if (javaHome != null && !javaHome.isBlank()) homes.add(real(Path.of(javaHome)));
    homes.add(real(Path.of(System.getProperty("java.home"))));
    if (Files.isDirectory(JVM_DIR)) {
      List<Path> found = new ArrayList<>();
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(JVM_DIR)) {
        for (Path dir : dirs) found.add(real(dir));
      } catch (IOException ignored) {
        // nothing more to offer
      }
      // Names like temurin-25-jdk-amd64 and java-21-openjdk-amd64 sort by their number, newest first.
      found.sort(Comparator.comparingInt(JavaFinder::numberInName).reversed());
      homes.addAll(found);
    }
    return homes;
  }

  private static Path real(Path path) {
    try {
      return path.toRealPath(); // the Debian symlinks (java-1.17.0-openjdk-amd64) collapse into one entry
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  private static int numberInName(Path dir) {
    Matcher m = Pattern.compile("(\\d+)").matcher(dir.getFileName().toString());
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** The feature version printed by {@code java -version}, or -1. */
  static int version(Path java) {
    try {
      Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      Matcher m = VERSION.matcher(out);
      return m.find() ? Integer.parseInt(m.group(2)) : -1;
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
