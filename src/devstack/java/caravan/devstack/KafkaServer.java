package caravan.devstack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one JVM) in its own child process.
 *
 * <p>Layout under the directory: {@code server.properties}, {@code log4j2.properties}, {@code data/}
 * (the log dirs, formatted on first start) and {@code kafka.log} (the server's output). Ports are picked
 * on the first start and kept for restarts, so clients can reconnect.
 */
public final class KafkaServer extends ServerProcess<KafkaServer> {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaServer.class);

  private final Map<String, String> extraProperties = new LinkedHashMap<>();
  private int partitions = 1;
  private String heap = "512m";
  private int port = -1;
  private int controllerPort = -1;
  private int saslPort = -1;
  private boolean mutualTls;
  private int sslPort = -1;
  /** SCRAM-SHA-512 users of the SASL_SSL listener; none: no such listener. */
  private final Map<String, String> scramUsers = new LinkedHashMap<>();
  private DevTls.Ca ca;

  public KafkaServer(Path dir) {
    super("Kafka", "kafka", dir);
  }

  /** Partitions of auto-created topics (default 1). Takes effect at the next start. */
  public synchronized KafkaServer partitions(int partitions) {
    this.partitions = partitions;
    return this;
  }

  /** Maximum heap, e.g. "512m" (the default). */
  public synchronized KafkaServer heap(String heap) {
    this.heap = heap;
    return this;
  }

  /** Any broker setting, written last into server.properties. Takes effect at the next start. */
  public synchronized KafkaServer property(String key, String value) {
    extraProperties.put(key, value);
    return this;
  }

  /**
   * Adds a SASL_SSL listener with these SCRAM-SHA-512 users (name to password) beside the PLAINTEXT one.
   * Its CA and the broker's key store are made under {@code tls/} at the next start ({@link #ca()}).
   */
  public synchronized KafkaServer saslSsl(Map<String, String> users) {
    scramUsers.putAll(users);
    return this;
  }

  /** Adds an SSL listener that requires a client certificate signed by {@link #ca()} (mTLS). */
  public synchronized KafkaServer mutualTls() {
    mutualTls = true;
    return this;
  }

  /** "127.0.0.1:port" of the mTLS listener. */
  public synchronized String sslBootstrap() {
    if (sslPort < 0) throw new IllegalStateException("Kafka has no mTLS listener, or has not been started");
    return "127.0.0.1:" + sslPort;
  }

  /** The CA that signed the SASL_SSL listener's certificate; known from the first start on. */
  public synchronized DevTls.Ca ca() {
    if (ca == null) throw new IllegalStateException("Kafka has no SASL_SSL listener, or has not been started");
    return ca;
  }

  /** "127.0.0.1:port" of the SASL_SSL listener. */
  public synchronized String saslBootstrap() {
    if (saslPort < 0) throw new IllegalStateException("Kafka has no SASL_SSL listener, or has not been started");
    return "127.0.0.1:" + saslPort;
  }

  /** The broker's jars, plus kafka-tools (ProducerPerformance) and log4j; ready for {@code java -cp}. */
  public static String classpath() {
    List<String> paths = new ArrayList<>();
    for (Path jar : ServerJars.kafka()) paths.add(jar.toString());
    return String.join(File.pathSeparator, paths);
  }

  @Override
  protected List<String> command() throws IOException {
    String classpath = classpath();
    Files.createDirectories(dir);
    if (port < 0) {
      int[] ports = Ports.free(4);
      port = ports[0];
      controllerPort = ports[1];
      if (!scramUsers.isEmpty()) saslPort = ports[2];
      if (mutualTls) sslPort = ports[3];
    }
    if ((saslPort > 0 || sslPort > 0) && ca == null) {
      ca = DevTls.ca(dir.resolve("tls"), "caravan-devstack-ca");
      DevTls.serverKeyStore(ca, dir.resolve("tls/broker.p12"), "broker");
    }
    Path config = writeConfig();
    Path log4j = writeLog4jConfig();
    Path watchdogDir = ChildProcess.installWatchdog(dir.resolve("watchdog"));
    if (!Files.exists(dir.resolve("data/meta.properties"))) format(classpath, config, log4j);

    List<String> command = List.of(javaBinary(), "-Xmx" + heap, "-Djava.awt.headless=true",
        "-Dlog4j2.configurationFile=" + log4j.toUri(),
        // Else log4j stops in its own shutdown hook, before the broker has logged its shutdown.
        "-Dlog4j.shutdownHookEnabled=false",
        "-cp", watchdogDir + File.pathSeparator + classpath,
        ChildWatchdog.class.getName(), Long.toString(ProcessHandle.current().pid()),
        "kafka.Kafka", config.toString());
    return command;
  }

  @Override
  protected String address() {
    return bootstrap();
  }

  @Override
  protected Logger log() {
    return LOG;
  }

  /** "127.0.0.1:port"; known from the first start on. */
  public synchronized String bootstrap() {
    if (port < 0) throw new IllegalStateException("Kafka has not been started");
    return "127.0.0.1:" + port;
  }

  private Path writeConfig() throws IOException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
    String secured = (saslPort > 0 ? ",SASL_SSL://127.0.0.1:" + saslPort : "") + (sslPort > 0 ? ",SSL://127.0.0.1:" + sslPort : "");
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + secured);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort + secured);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"
        + (saslPort > 0 ? ",SASL_SSL:SASL_SSL" : "") + (sslPort > 0 ? ",SSL:SSL" : ""));
    if (sslPort > 0) {
      p.put("listener.name.ssl.ssl.client.auth", "required");
      p.put("listener.name.ssl.ssl.keystore.location", dir.resolve("tls/broker.p12").toString());
      p.put("listener.name.ssl.ssl.keystore.type", "PKCS12");
      p.put("listener.name.ssl.ssl.keystore.password", DevTls.PASSWORD);
      p.put("listener.name.ssl.ssl.key.password", DevTls.PASSWORD);
      p.put("listener.name.ssl.ssl.truststore.location", ca.trustStore().toString());
      p.put("listener.name.ssl.ssl.truststore.type", "PKCS12");
      p.put("listener.name.ssl.ssl.truststore.password", DevTls.PASSWORD);
    }
    if (saslPort > 0) {
      // Clients authenticate with SCRAM over TLS; the broker and its controller talk PLAINTEXT among themselves.
      p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
      p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
      p.put("listener.name.sasl_ssl.ssl.keystore.location", dir.resolve("tls/broker.p12").toString());
      p.put("listener.name.sasl_ssl.ssl.keystore.type", "PKCS12");
      p.put("listener.name.sasl_ssl.ssl.keystore.password", DevTls.PASSWORD);
      p.put("listener.name.sasl_ssl.ssl.key.password", DevTls.PASSWORD);
    }
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", dir.resolve("data").toString());
    p.put("num.partitions", Integer.toString(partitions));
    p.put("auto.create.topics.enable", "true");
    // One broker: every replication factor and min.isr is 1, or the internal topics never get created.
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    // The internal topics default to 50 partitions each; creating those on a 2-core machine makes the
    // first consumer group wait seconds. A handful is plenty for one developer's traffic.
    p.put("offsets.topic.num.partitions", "3");
    p.put("transaction.state.log.num.partitions", "3");
    p.put("share.coordinator.state.topic.num.partitions", "3");
    // Consumers in tests join at once instead of after the default 3 s.
    p.put("group.initial.rebalance.delay.ms", "0");
    p.putAll(extraProperties);
    StringBuilder text = new StringBuilder("# Written by caravan.devstack.KafkaServer at every start.\n");
    p.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Path file = dir.resolve("server.properties");
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** Console only: the child's output is the log file. */
  private Path writeLog4jConfig() throws IOException {
    Path file = dir.resolve("log4j2.properties");
    Files.writeString(file, String.join("\n",
        "status = warn",
        "appender.console.type = Console",
        "appender.console.name = console",
        "appender.console.layout.type = PatternLayout",
        "appender.console.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = info",
        "rootLogger.appenderRef.console.ref = console",
        // Kafka logs every request at debug and the full config at info; the latter is useful once.
        "logger.request.name = kafka.request.logger",
        "logger.request.level = warn",
        ""), StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Formats the log dirs for KRaft in a separate short-lived JVM (the 4.4 jars must not meet the test
   * classpath's kafka-clients 3.9). The cluster id is what {@code StorageTool random-uuid} prints, made
   * here with the same Uuid class to save a JVM start.
   */
  private void format(String classpath, Path config, Path log4j) throws IOException {
    String clusterId = Uuid.randomUuid().toString();
    List<String> command = List.of(javaBinary(), "-Xmx256m", "-Dlog4j2.configurationFile=" + log4j.toUri(),
        "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", config.toString());
    Files.writeString(logFile(), "==== devstack: formatting " + dir.resolve("data") + "\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    Process format = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile().toFile())).start();
    try {
      if (!format.waitFor(60, TimeUnit.SECONDS)) {
        format.destroyForcibly();
        throw new DevStackException("Formatting Kafka's storage took over 60 s:\n" + process.tail(40));
      }
    } catch (InterruptedException e) {
      format.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DevStackException("Interrupted while formatting Kafka's storage", e);
    }
    if (format.exitValue() != 0) {
      throw new DevStackException("Formatting Kafka's storage failed (exit " + format.exitValue() + "):\n"
          + process.tail(40));
    }
  }

  @Override
  protected void waitUntilReady() {
    long deadline = System.nanoTime() + ChildProcess.START_TIMEOUT.toNanos();
    Map<String, Object> config = Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000,
        AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200);
    Exception last = null;
    try (Admin admin = Admin.create(config)) {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new DevStackException("Kafka exited with code " + process.exitCode() + " while starting. End of "
              + logFile() + ":\n" + process.tail(40));
        }
        try {
          if (!admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty()) {
            createScramUsers(admin);
            return;
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new DevStackException("Interrupted while waiting for Kafka", e);
        } catch (Exception e) {
          last = e; // not up yet
        }
        ChildProcess.sleep(100);
      }
    }
    throw new DevStackException("Kafka did not answer at " + bootstrap() + " within "
        + ChildProcess.START_TIMEOUT.toSeconds() + " s (last error: " + last + "). End of " + logFile() + ":\n"
        + process.tail(40));
  }

  /** SCRAM credentials live in the cluster metadata: set over the PLAINTEXT listener once it answers. */
  private void createScramUsers(Admin admin) throws Exception {
    if (scramUsers.isEmpty()) return;
    List<UserScramCredentialAlteration> users = new ArrayList<>();
    scramUsers.forEach((name, password) -> users.add(new UserScramCredentialUpsertion(name,
        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password)));
    admin.alterUserScramCredentials(users).all().get(30, TimeUnit.SECONDS);
  }

  static String javaBinary() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  @Override
  public String toString() {
    return "KafkaServer[" + (port < 0 ? "not started" : bootstrap()) + ", " + dir + "]";
  }
}
