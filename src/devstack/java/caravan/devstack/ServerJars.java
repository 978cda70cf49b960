package caravan.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.xml.parsers.DocumentBuilderFactory;

import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.repository.LocalRepository;
import org.eclipse.aether.repository.Proxy;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.util.artifact.JavaScopes;
import org.eclipse.aether.util.filter.DependencyFilterUtils;
import org.eclipse.aether.util.repository.AuthenticationBuilder;
import org.eclipse.aether.util.repository.DefaultAuthenticationSelector;
import org.eclipse.aether.util.repository.DefaultMirrorSelector;
import org.eclipse.aether.util.repository.DefaultProxySelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The servers' jars, resolved transitively from Maven Central into the local Maven repository the first
 * time, then remembered in a small classpath file under {@code ~/.m2/caravan-devstack/} so later starts
 * skip Maven entirely. The file is keyed by a hash of the artifact set and ignored when a jar is missing.
 */
public final class ServerJars {
  private static final Logger LOG = LoggerFactory.getLogger(ServerJars.class);

  /** Maven coordinates and version pins of one server's classpath. */
  record Spec(String name, List<String> roots, List<String> exclusions, List<String> pins) {
    String key() {
      String text = String.join("\n", roots) + "\n-\n" + String.join("\n", exclusions) + "\n-\n" + String.join("\n", pins);
      try {
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return name + "-" + HexFormat.of().formatHex(hash, 0, 8);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static final String KAFKA_VERSION = "4.4.0";
  /**
   * kafka-tools (ProducerPerformance, for benchmarks) has no 4.4.0 release on the Maven repository
   * reachable here; 4.3.1 is the newest, and it runs on the 4.4.0 client and server jars pinned below.
   */
  static final String KAFKA_TOOLS_VERSION = "4.3.1";
  static final String LOG4J_VERSION = "2.24.3";

  static final Spec KAFKA = new Spec("kafka",
      List.of(
          "org.apache.kafka:kafka_2.13:" + KAFKA_VERSION,
          "org.apache.kafka:kafka-clients:" + KAFKA_VERSION,
          "org.apache.kafka:kafka-tools:" + KAFKA_TOOLS_VERSION,
          // Kafka's pom brings slf4j-api 1.7 and no binding: without these pins the broker logs nothing.
          "org.slf4j:slf4j-api:2.0.17",
          "org.apache.logging.log4j:log4j-slf4j2-impl:" + LOG4J_VERSION,
          "org.apache.logging.log4j:log4j-core:" + LOG4J_VERSION,
          "org.apache.logging.log4j:log4j-api:" + LOG4J_VERSION),
      // kafka-tools drags in Kafka Connect's REST runtime (Jetty, Jersey), which neither the broker
      // nor ProducerPerformance uses.
      List.of("org.apache.kafka:connect-runtime", "com.fasterxml.jackson.jakarta.rs:jackson-jakarta-rs-json-provider"),
      kafkaPins());

  static final String ELASTICSEARCH_VERSION = "9.2.2";
  static final String TRANSPORT_NETTY4 = "org.elasticsearch.plugin:transport-netty4:" + ELASTICSEARCH_VERSION;
  static final Spec ELASTICSEARCH = new Spec("elasticsearch",
      List.of("org.elasticsearch:elasticsearch:" + ELASTICSEARCH_VERSION, TRANSPORT_NETTY4),
      List.of(),
      List.of());

  static final Spec ELASTICSEARCH_8 = new Spec("elasticsearch-8",
      List.of("org.elasticsearch:elasticsearch:" + Engine.ELASTICSEARCH_8.version(),
          "org.elasticsearch.plugin:transport-netty4:" + Engine.ELASTICSEARCH_8.version()),
      List.of(),
      List.of());

  /** OpenSearch's core and the modules Caravan's requests use; all go on the node's classpath (OsNodeMain). */
  static final Spec OPENSEARCH_2 = new Spec("opensearch-2",
      List.of("org.opensearch:opensearch:" + Engine.OPENSEARCH_2.version(),
          "org.opensearch.plugin:transport-netty4-client:" + Engine.OPENSEARCH_2.version(),
          "org.opensearch.plugin:analysis-common:" + Engine.OPENSEARCH_2.version(),
          "org.opensearch.plugin:lang-painless:" + Engine.OPENSEARCH_2.version(),
          "org.apache.logging.log4j:log4j-core:" + LOG4J_VERSION),
      List.of(),
      List.of());

  private static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
  private static final Map<String, Object> LOCKS = new ConcurrentHashMap<>();
  private static volatile RepositorySystem system;

  private ServerJars() {}

  /** Kafka broker, its tools (ProducerPerformance) and log4j, all from one consistent set. */
  public static List<Path> kafka() {
    return resolve(KAFKA);
  }

  /** The Elasticsearch server and the transport-netty4 module (which goes in a modules dir, not on the classpath). */
  public static List<Path> elasticsearch() {
    return resolve(ELASTICSEARCH);
  }

  /** The server jars of one engine (for Elasticsearch with the transport-netty4 module jar among them). */
  public static List<Path> of(Engine engine) {
    return resolve(switch (engine) {
      case ELASTICSEARCH_9 -> ELASTICSEARCH;
      case ELASTICSEARCH_8 -> ELASTICSEARCH_8;
      case OPENSEARCH_2 -> OPENSEARCH_2;
    });
  }

  private static List<String> kafkaPins() {
    List<String> pins = new ArrayList<>();
    // kafka-tools 4.3.1 asks for 4.3.1 of these; one version of Kafka on the classpath.
    for (String module : List.of("kafka-clients", "kafka-metadata", "kafka-storage", "kafka-storage-api", "kafka-server",
        "kafka-server-common", "kafka-tools-api", "kafka-transaction-coordinator", "kafka-group-coordinator",
        "kafka-group-coordinator-api", "kafka-coordinator-common", "kafka-share-coordinator", "kafka-raft", "kafka_2.13")) {
      pins.add("org.apache.kafka:" + module + ":" + KAFKA_VERSION);
    }
    pins.add("org.slf4j:slf4j-api:2.0.17");
    pins.add("org.apache.logging.log4j:log4j-api:" + LOG4J_VERSION);
    pins.add("org.apache.logging.log4j:log4j-core:" + LOG4J_VERSION);
    return pins;
  }

  static List<Path> resolve(Spec spec) {
    String key = spec.key();
    // One resolution per artifact set at a time; Kafka and Elasticsearch still resolve in parallel.
    synchronized (LOCKS.computeIfAbsent(key, k -> new Object())) {
      Path cacheFile = cacheDir().resolve(key + ".classpath");
      List<Path> cached = readCache(cacheFile);
      if (cached != null) return cached;
      long start = System.nanoTime();
      LOG.info("Resolving the {} server jars with Maven (first start only; cached in {})", spec.name(), cacheFile);
      List<Path> jars = resolveWithMaven(spec);
      writeCache(cacheFile, jars);
      LOG.info("Resolved {} {} jars in {} ms", jars.size(), spec.name(), (System.nanoTime() - start) / 1_000_000);
      return jars;
    }
  }

  static Path cacheDir() {
    return Path.of(System.getProperty("user.home"), ".m2", "caravan-devstack");
  }

  private static List<Path> readCache(Path file) {
    if (!Files.isRegularFile(file)) return null;
    try {
      List<Path> jars = new ArrayList<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isBlank()) continue;
        Path jar = Path.of(line);
        if (!Files.isRegularFile(jar)) return null; // the local repository was cleaned: resolve again
        jars.add(jar);
      }
      return jars.isEmpty() ? null : List.copyOf(jars);
    } catch (IOException e) {
      return null;
    }
  }

  private static void writeCache(Path file, List<Path> jars) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
      List<String> lines = new ArrayList<>();
      for (Path jar : jars) lines.add(jar.toString());
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      // Atomic, so a second JVM resolving at the same time never reads half a file.
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.warn("Cannot write {}; the jars will be resolved again next time: {}", file, e.toString());
    }
  }

  private static List<Path> resolveWithMaven(Spec spec) {
    MavenSettings settings = MavenSettings.load();
    RepositorySystem repositorySystem = repositorySystem();
    DefaultRepositorySystemSession session = MavenRepositorySystemUtils.newSession();
    session.setSystemProperties(System.getProperties()); // for profile activation in the servers' poms
    session.setLocalRepositoryManager(
        repositorySystem.newLocalRepositoryManager(session, new LocalRepository(settings.localRepository.toFile())));
    session.setOffline(settings.offline);
    session.setMirrorSelector(settings.mirrors);
    session.setProxySelector(settings.proxies);
    session.setAuthenticationSelector(settings.auth);

    List<Exclusion> exclusions = new ArrayList<>();
    for (String ga : spec.exclusions()) {
      String[] parts = ga.split(":");
      exclusions.add(new Exclusion(parts[0], parts[1], "*", "*"));
    }
    CollectRequest collect = new CollectRequest();
    for (String coords : spec.roots()) {
      collect.addDependency(new Dependency(new DefaultArtifact(coords), JavaScopes.RUNTIME, false, exclusions));
    }
    for (String coords : spec.pins()) {
      collect.addManagedDependency(new Dependency(new DefaultArtifact(coords), JavaScopes.RUNTIME));
    }
    RemoteRepository central = new RemoteRepository.Builder("central", "default", CENTRAL).build();
    // Applies settings.xml: mirrors, proxies and credentials.
    collect.setRepositories(repositorySystem.newResolutionRepositories(session, List.of(central)));
    try {
      List<Path> jars = new ArrayList<>();
      DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter(JavaScopes.RUNTIME));
      for (ArtifactResult result : repositorySystem.resolveDependencies(session, request).getArtifactResults()) {
        jars.add(result.getArtifact().getFile().toPath());
      }
      return List.copyOf(jars);
    } catch (DependencyResolutionException e) {
      throw new IllegalStateException("Cannot resolve the " + spec.name() + " server jars " + spec.roots()
          + " from " + collect.getRepositories() + " into " + settings.localRepository + ": " + e.getMessage(), e);
    }
  }

  private static RepositorySystem repositorySystem() {
    if (system == null) {
      synchronized (ServerJars.class) {
        if (system == null) system = new RepositorySystemSupplier().get();
      }
    }
    return system;
  }

  /**
   * The parts of {@code ~/.m2/settings.xml} that matter for downloading: local repository, offline,
   * mirrors, proxies and the credentials of those. (Maven's own settings builder is not on the classpath.)
   */
  static final class MavenSettings {
    Path localRepository = Path.of(System.getProperty("user.home"), ".m2", "repository");
    boolean offline;
    final DefaultMirrorSelector mirrors = new DefaultMirrorSelector();
    final DefaultProxySelector proxies = new DefaultProxySelector();
    final DefaultAuthenticationSelector auth = new DefaultAuthenticationSelector();

    static MavenSettings load() {
      MavenSettings settings = new MavenSettings();
      Path file = Path.of(System.getProperty("user.home"), ".m2", "settings.xml");
      if (!Files.isRegularFile(file)) return settings;
      try (InputStream in = Files.newInputStream(file)) {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setExpandEntityReferences(false);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(in);
        Element root = doc.getDocumentElement();
        String local = text(root, "localRepository");
        if (local != null) settings.localRepository = Path.of(interpolate(local));
        settings.offline = "true".equals(text(root, "offline"));
        for (Element server : children(root, "servers", "server")) {
          String user = text(server, "username");
          if (user != null) {
            settings.auth.add(text(server, "id"), new AuthenticationBuilder()
                .addUsername(interpolate(user)).addPassword(interpolate(orEmpty(text(server, "password")))).build());
          }
        }
        for (Element mirror : children(root, "mirrors", "mirror")) {
          settings.mirrors.add(text(mirror, "id"), interpolate(text(mirror, "url")), "default", false, false,
              text(mirror, "mirrorOf"), "*");
        }
        for (Element proxy : children(root, "proxies", "proxy")) {
          if ("false".equals(text(proxy, "active"))) continue;
          String user = text(proxy, "username");
          Proxy p = new Proxy(orDefault(text(proxy, "protocol"), "http"), text(proxy, "host"),
              Integer.parseInt(orDefault(text(proxy, "port"), "8080")),
              user == null ? null : new AuthenticationBuilder()
                  .addUsername(interpolate(user)).addPassword(interpolate(orEmpty(text(proxy, "password")))).build());
          settings.proxies.add(p, text(proxy, "nonProxyHosts"));
        }
      } catch (Exception e) {
        throw new IllegalStateException("Cannot read " + file + ": " + e, e);
      }
      return settings;
    }

    private static List<Element> children(Element root, String section, String item) {
      List<Element> result = new ArrayList<>();
      for (Element sectionElement : elements(root, section)) result.addAll(elements(sectionElement, item));
      return result;
    }

    private static List<Element> elements(Element parent, String name) {
      List<Element> result = new ArrayList<>();
      NodeList nodes = parent.getChildNodes();
      for (int i = 0; i < nodes.getLength(); i++) {
        Node node = nodes.item(i);
        if (node instanceof Element && name.equals(((Element) node).getTagName())) result.add((Element) node);
      }
      return result;
    }

    private static String text(Element parent, String name) {
      List<Element> found = elements(parent, name);
      return found.isEmpty() ? null : found.get(0).getTextContent().trim();
    }

    /** ${user.home} and ${env.X}, the two forms seen in practice. */
    private static String interpolate(String value) {
      String result = value.replace("${user.home}", System.getProperty("user.home"));
      int start;
      while ((start = result.indexOf("${env.")) >= 0) {
        int end = result.indexOf('}', start);
        if (end < 0) break;
        String env = System.getenv(result.substring(start + 6, end));
        result = result.substring(0, start) + (env == null ? "" : env) + result.substring(end + 1);
      }
      return result;
    }

    private static String orEmpty(String value) {
      return value == null ? "" : value;
    }

    private static String orDefault(String value, String fallback) {
      return value == null || value.isEmpty() ? fallback : value;
    }
  }
}
