package caravan.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Throw-away certificates for the devstack, made at test time with the JDK's own {@code keytool}: a
 * CA (its PEM and a PKCS12 trust store holding it) and a server key store signed by it for
 * 127.0.0.1 and localhost. Every store uses {@link #PASSWORD}; nothing here is a secret.
 */
public final class DevTls {
  /** The password of every store DevTls writes. */
  public static final String PASSWORD = "devstack-store";

  /** A CA under {@code dir}: {@code <name>.p12} (key and certificate), {@code <name>.pem}, {@code <name>-truststore.p12}. */
  public record Ca(Path keyStore, Path pem, Path trustStore, String alias) {
  }

  private DevTls() {
  }

  /** Creates a self-signed CA named {@code name} under {@code dir}. */
  public static Ca ca(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Ca ca = new Ca(dir.resolve(name + ".p12"), dir.resolve(name + ".pem"), dir.resolve(name + "-truststore.p12"), name);
    keytool("-genkeypair", "-alias", name, "-dname", "CN=" + name, "-ext", "bc:c", "-keyalg", "RSA", "-keysize", "2048",
        "-validity", "30", "-keystore", ca.keyStore().toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", name, "-keystore", ca.keyStore().toString(), "-storepass", PASSWORD,
        "-file", ca.pem().toString());
    importCert(ca.trustStore(), name, ca.pem());
    return ca;
  }

  /** A PKCS12 key store at {@code store} with a key for 127.0.0.1 and localhost, its certificate signed by {@code ca}. */
  public static Path serverKeyStore(Ca ca, Path store, String name) throws IOException {
    Path csr = store.resolveSibling(name + ".csr");
    Path crt = store.resolveSibling(name + ".crt");
    keytool("-genkeypair", "-alias", name, "-dname", "CN=" + name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "30",
        "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
    keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD, "-file", csr.toString());
    keytool("-gencert", "-rfc", "-alias", ca.alias(), "-keystore", ca.keyStore().toString(), "-storepass", PASSWORD,
        "-infile", csr.toString(), "-outfile", crt.toString(), "-validity", "30",
        "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "EKU=serverAuth,clientAuth");
    importCert(store, ca.alias(), ca.pem());
    keytool("-importcert", "-alias", name, "-file", crt.toString(), "-keystore", store.toString(), "-storepass", PASSWORD);
    return store;
  }

  private static void importCert(Path store, String alias, Path pem) throws IOException {
    keytool("-importcert", "-noprompt", "-alias", alias, "-file", pem.toString(), "-keystore", store.toString(),
        "-storetype", "PKCS12", "-storepass", PASSWORD);
  }

  private static void keytool(String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new DevStackException("keytool " + String.join(" ", args) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new DevStackException("interrupted while running keytool", e);
    }
  }
}
