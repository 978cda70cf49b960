package caravan.devstack;

import caravan.common.FileTrees;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The server side of a search engine node: for Elasticsearch, EsNodeMain (the child's main) and CaravanRootPlugin (GET
 * and HEAD /, which the rest-root module would answer); for OpenSearch, OsNodeMain. They are shipped as
 * source, because this project's javac 17 cannot read Elasticsearch 9's class files, and compiled once
 * with the JDK that runs the node, for the engine's own version. The result is cached next to the classpath files, so that neither a start nor a
 * restart pays for compiling (running the main in source mode instead cost about 1.5 s every time).
 */
final class EsLauncher {
  static final String ROOT_PLUGIN = "caravan-root";
  private static final String RESOURCES = "/caravan/devstack/";
  private static final String PLUGIN_PACKAGE = "caravan/devstack/esroot/";

  /** {@code classes}: the directory holding EsNodeMain; {@code rootPluginJar}: the plugin's only jar. */
  record Compiled(Path classes, Path rootPluginJar) {}

  private EsLauncher() {}

  /**
   * Elasticsearch: EsNodeMain and the root plugin. OpenSearch answers {@code GET /} in its core and
   * takes its modules as classpath plugins: OsNodeMain alone, and no plugin jar.
   */
  static synchronized Compiled compile(Path java, List<Path> serverJars, Engine engine) throws IOException {
    boolean os = engine.isOpenSearch();
    String mainName = os ? "OsNodeMain" : "EsNodeMain";
    byte[] main = resource(mainName + ".java.txt");
    byte[] plugin = os ? new byte[0] : resource("CaravanRootPlugin.java.txt");
    Path dir = ServerJars.cacheDir().resolve("es-launcher-" + hash(main, plugin, engine));
    Compiled compiled = new Compiled(dir.resolve("classes"), os ? null : dir.resolve(ROOT_PLUGIN + ".jar"));
    if (complete(compiled, mainName)) return compiled;

    Files.createDirectories(dir.getParent());
    Path work = Files.createTempDirectory(dir.getParent(), "es-launcher-build-");
    try {
      Path src = work.resolve("src");
      Path mainSource = write(src.resolve(mainName + ".java"), main);
      Path out = Files.createDirectories(work.resolve("out"));
      Path javac = java.resolveSibling("javac");
      List<String> command = new ArrayList<>(List.of(javac.toString(), "--release", Integer.toString(engine.java()),
          "-proc:none", "-nowarn", "-encoding", "UTF-8",
          "-cp", serverJars.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
          "-d", out.toString(), mainSource.toString()));
      if (!os) command.add(write(src.resolve(PLUGIN_PACKAGE + "CaravanRootPlugin.java"), plugin).toString());
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
        process.destroyForcibly();
        throw new DevStackException("Compiling the Elasticsearch launcher with " + javac + " failed:\n" + output);
      }

      // EsNodeMain goes on the node's classpath; the plugin must not (Elasticsearch's jar-hell check
      // refuses a plugin whose classes are also on the classpath), so it becomes its own jar.
      Path result = Files.createDirectories(work.resolve("result"));
      Path classes = Files.createDirectories(result.resolve("classes"));
      try (Stream<Path> files = Files.list(out)) {
        for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          Files.move(file, classes.resolve(file.getFileName()));
        }
      }
      if (!os) jar(out.resolve(PLUGIN_PACKAGE), out, result.resolve(ROOT_PLUGIN + ".jar"));
      if (complete(compiled, mainName)) return compiled; // another JVM finished first; it may be using it
      FileTrees.delete(dir); // an incomplete earlier result
      try {
        // Atomic, so that a concurrent JVM sees either nothing or the whole result.
        Files.move(result, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException e) {
        // another JVM got there first with the same sources
      } catch (IOException e) {
        if (!Files.isDirectory(dir)) throw e; // on Linux, a non-empty target shows up as this
      }
      return compiled;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DevStackException("Interrupted while compiling the Elasticsearch launcher", e);
    } finally {
      FileTrees.delete(work);
    }
  }

  private static boolean complete(Compiled compiled, String mainName) {
    return Files.isRegularFile(compiled.classes().resolve(mainName + ".class"))
        && (compiled.rootPluginJar() == null || Files.isRegularFile(compiled.rootPluginJar()));
  }

  /** The descriptor of a classic (non-module) plugin; the server insists on its exact version. */
  static String rootPluginDescriptor(Engine engine) {
    return String.join("\n",
        "description=Answers GET / and HEAD / like the rest-root module (Caravan devstack only)",
        "version=1.0",
        "name=" + ROOT_PLUGIN,
        "classname=caravan.devstack.esroot.CaravanRootPlugin",
        "java.version=" + engine.java(),
        "elasticsearch.version=" + engine.version(),
        "");
  }

  private static void jar(Path from, Path root, Path jar) throws IOException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(from)) {
      walk.filter(Files::isRegularFile).sorted().forEach(files::add);
    }
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out)) {
      for (Path file : files) {
        jarOut.putNextEntry(new JarEntry(root.relativize(file).toString().replace(File.separatorChar, '/')));
        jarOut.write(Files.readAllBytes(file));
        jarOut.closeEntry();
      }
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = EsLauncher.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) throw new IOException(RESOURCES + name + " not found on the classpath");
      return in.readAllBytes();
    }
  }

  private static Path write(Path file, byte[] content) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.write(file, content);
  }

  /** Keyed by both sources and the server version they compile against. */
  private static String hash(byte[] main, byte[] plugin, Engine engine) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(main);
      digest.update(plugin);
      digest.update((engine.id() + engine.version()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
