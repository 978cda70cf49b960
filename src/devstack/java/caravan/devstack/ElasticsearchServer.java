package caravan.devstack;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Elasticsearch 9 node in its own child JVM (Java 21+), built from Elastic's jars on Maven Central.
 *
 * <p>Layout under the directory: {@code home/} (config, modules/transport-netty4, plugins/caravan-root),
 * {@code data/} and {@code elasticsearch.log}. The node's main is EsNodeMain (see EsLauncher). Ports
 * are picked on the first start and kept for restarts.
 *
 * <p>Not available without the distribution: ingest pipelines, Painless, data streams and ILM (x-pack).
 * The native libraries are stood in for by {@link NativeLibs}.
 */
public final class ElasticsearchServer extends ServerProcess<ElasticsearchServer> {
  private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchServer.class);

  private final Map<String, String> extraSettings = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private String heap = "1g";
  private int httpPort = -1;
  private int transportPort = -1;

  private final Engine engine;

  public ElasticsearchServer(Path dir) {
    this(dir, Engine.ELASTICSEARCH_9);
  }

  /** A node of the given engine (Elasticsearch 9 or 8, or OpenSearch) under {@code dir}. */
  public ElasticsearchServer(Path dir, Engine engine) {
    super(engine.toString(), engine.id(), dir);
    this.engine = engine;
  }

  public Engine engine() {
    return engine;
  }

  /** Heap (both -Xms and -Xmx, as Elasticsearch wants), e.g. "1g" (the default). */
  public synchronized ElasticsearchServer heap(String heap) {
    this.heap = heap;
    return this;
  }

  /** Any node setting (elasticsearch.yml style key). Takes effect at the next start. */
  public synchronized ElasticsearchServer setting(String key, String value) {
    extraSettings.put(key, value);
    return this;
  }

  @Override
  protected List<String> command() throws IOException {
    Path java = JavaFinder.find(engine.java());
    List<Path> jars = ServerJars.of(engine);
    Path home = Files.createDirectories(dir.resolve("home"));
    if (httpPort < 0) {
      int[] ports = Ports.free(2);
      httpPort = ports[0];
      transportPort = ports[1];
    }
    if (engine.isOpenSearch()) {
      return openSearchCommand(java, jars, home);
    }
    NativeLibs.install(home);
    List<Path> serverJars = jars.stream().filter(jar -> !isNettyModule(jar)).collect(Collectors.toList());
    installNettyModule(jars.stream().filter(ElasticsearchServer::isNettyModule).findFirst()
        .orElseThrow(() -> new IllegalStateException("transport-netty4 is missing from " + jars)), home);
    EsLauncher.Compiled launcher = EsLauncher.compile(java, serverJars, engine);
    installRootPlugin(launcher.rootPluginJar(), home, engine);

    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xms" + heap, "-Xmx" + heap));
    if (engine.java() >= 21) command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(List.of(
        // Where Elasticsearch looks for its native libraries (home/lib/platform, see NativeLibs).
        "-Des.path.home=" + home,
        // What the distribution's jvm.options sets for Netty; also avoids Java 24+'s Unsafe warnings.
        "-Dio.netty.noUnsafe=true", "-Dio.netty.noKeySetOptimization=true",
        "-Dio.netty.recycler.maxCapacityPerThread=0",
        "-Djava.awt.headless=true",
        // The native provider loads libvec.so (vector scoring, distribution only) in its constructor;
        // one missing library fails the whole provider and with it zstd (best_compression).
        "-Dorg.elasticsearch.nativeaccess.enableVectorLibrary=false",
        // Else log4j stops in its own shutdown hook, before the node has logged its close.
        "-Dlog4j.shutdownHookEnabled=false"));
    command.addAll(nodeArgs(launcher.classes(), serverJars, "EsNodeMain", home));
    return command;
  }

  /** Class path, the watchdog around the node's main, and the node's own arguments. */
  private List<String> nodeArgs(Path launcherClasses, List<Path> jars, String main, Path home) throws IOException {
    List<String> args = new ArrayList<>(List.of(
        "-cp", classpath(ChildProcess.installWatchdog(dir.resolve("watchdog")), launcherClasses, jars),
        ChildWatchdog.class.getName(), Long.toString(ProcessHandle.current().pid()), main,
        "--home=" + home, "--data=" + dir.resolve("data"),
        "--http-port=" + httpPort, "--transport-port=" + transportPort));
    extraSettings.forEach((k, v) -> args.add("--setting=" + k + "=" + v));
    return args;
  }

  /** OpenSearch: every jar, modules included, on the classpath (OsNodeMain loads the modules as plugins). */
  private List<String> openSearchCommand(Path java, List<Path> jars, Path home) throws IOException {
    EsLauncher.Compiled launcher = EsLauncher.compile(java, jars, engine);
    List<String> command = new ArrayList<>(List.of(java.toString(), "-Xms" + heap, "-Xmx" + heap,
        "-Dio.netty.noUnsafe=true", "-Dio.netty.noKeySetOptimization=true",
        "-Dio.netty.recycler.maxCapacityPerThread=0", "-Djava.awt.headless=true",
        "-Dlog4j.shutdownHookEnabled=false"));
    command.addAll(nodeArgs(launcher.classes(), jars, "OsNodeMain", home));
    return command;
  }

  @Override
  protected String address() {
    return url();
  }

  @Override
  protected Logger log() {
    return LOG;
  }

  /** "http://127.0.0.1:port"; known from the first start on and the same after a restart. */
  public synchronized String url() {
    if (httpPort < 0) throw new IllegalStateException("Elasticsearch has not been started");
    return "http://127.0.0.1:" + httpPort;
  }

  private static boolean isNettyModule(Path jar) {
    return jar.getFileName().toString().startsWith("transport-netty4-");
  }

  /**
   * The HTTP and transport layers are a module in Elasticsearch. It is installed as a classic plugin:
   * the jar plus the descriptor found inside it, minus its {@code modulename=} line, because here the
   * server is a plain classpath and not a module layer. Netty itself stays on the server's classpath.
   */
  private static void installNettyModule(Path jar, Path home) throws IOException {
    Path moduleDir = Files.createDirectories(home.resolve("modules/transport-netty4"));
    Path target = moduleDir.resolve(jar.getFileName());
    if (!Files.exists(target) || Files.size(target) != Files.size(jar)) {
      Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry entry = zip.getEntry("META-INF/es-plugins/transport-netty4/plugin-descriptor.properties");
      if (entry == null) throw new IOException("no plugin descriptor in " + jar);
      String descriptor;
      try (InputStream in = zip.getInputStream(entry)) {
        descriptor = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      String classic = descriptor.lines().filter(line -> !line.startsWith("modulename="))
          .collect(Collectors.joining("\n", "", "\n"));
      Files.writeString(moduleDir.resolve("plugin-descriptor.properties"), classic, StandardCharsets.UTF_8);
    }
  }

  /** The plugin for GET and HEAD / (see EsLauncher), refreshed when the compiled jar changed. */
  private static void installRootPlugin(Path jar, Path home, Engine engine) throws IOException {
    Path pluginDir = Files.createDirectories(home.resolve("plugins/" + EsLauncher.ROOT_PLUGIN));
    Path target = pluginDir.resolve(jar.getFileName());
    if (!Files.exists(target) || Files.mismatch(target, jar) >= 0) {
      Files.copy(jar, target, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(pluginDir.resolve("plugin-descriptor.properties"), EsLauncher.rootPluginDescriptor(engine),
        StandardCharsets.UTF_8);
  }

  private static String classpath(Path watchdog, Path launcherClasses, List<Path> serverJars) {
    List<String> entries = new ArrayList<>(List.of(watchdog.toString(), launcherClasses.toString()));
    serverJars.forEach(jar -> entries.add(jar.toString()));
    return String.join(File.pathSeparator, entries);
  }

  @Override
  protected void waitUntilReady() {
    long deadline = System.nanoTime() + ChildProcess.START_TIMEOUT.toNanos();
    HttpRequest health = HttpRequest.newBuilder(URI.create(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s"))
        .timeout(Duration.ofSeconds(5)).build();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new DevStackException("Elasticsearch exited with code " + process.exitCode() + " while starting. End of "
            + logFile() + ":\n" + process.tail(40));
      }
      try {
        HttpResponse<String> response = http.send(health, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) return;
        last = response.statusCode() + " " + response.body();
      } catch (IOException e) {
        last = e.toString(); // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DevStackException("Interrupted while waiting for Elasticsearch", e);
      }
      ChildProcess.sleep(200);
    }
    throw new DevStackException("Elasticsearch did not become yellow at " + url() + " within "
        + ChildProcess.START_TIMEOUT.toSeconds() + " s (last answer: " + last + "). End of " + logFile() + ":\n"
        + process.tail(40));
  }

  @Override
  public String toString() {
    return "ElasticsearchServer[" + (httpPort < 0 ? "not started" : url()) + ", " + dir + "]";
  }
}
