package caravan.it;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A TLS-terminating proxy in front of the devstack's search engine that, like a secured
 * Elasticsearch, wants an API key: HTTPS with a certificate from a CA made at test time with the
 * JDK's keytool, 401 without the right {@code Authorization: ApiKey}, otherwise the request is
 * passed on unchanged and the answer returned with its status and product header.
 */
final class TlsProxy implements AutoCloseable {
    private static final String PASSWORD = "changeit";
    final Path caPem;
    final Path otherCaPem;
    private final HttpsServer server;
    private final HttpClient upstream = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TlsProxy(Path dir, String target, String apiKey) throws Exception {
        Path ca = dir.resolve("ca.p12");
        Path serverStore = dir.resolve("server.p12");
        caPem = dir.resolve("ca.pem");
        otherCaPem = dir.resolve("other-ca.pem");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Caravan Test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString());
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-file", caPem.toString());
        keytool("-genkeypair", "-alias", "other", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=Some Other CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString());
        keytool("-exportcert", "-rfc", "-alias", "other", "-keystore", ca.toString(), "-file", otherCaPem.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-validity", "2", "-keystore", serverStore.toString());
        Path csr = dir.resolve("server.csr");
        Path crt = dir.resolve("server.crt");
        keytool("-certreq", "-alias", "server", "-keystore", serverStore.toString(), "-file", csr.toString());
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-infile", csr.toString(),
                "-outfile", crt.toString(), "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", serverStore.toString());
        keytool("-importcert", "-alias", "server", "-file", crt.toString(), "-keystore", serverStore.toString());

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(serverStore)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", ex -> {
            try (ex) {
                byte[] body = ex.getRequestBody().readAllBytes();
                if (!("ApiKey " + apiKey).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    byte[] refusal = ("{\"error\":{\"type\":\"security_exception\",\"reason\":\"unable to authenticate "
                            + "with provided credentials\"},\"status\":401}").getBytes(StandardCharsets.UTF_8);
                    ex.getResponseHeaders().add("Content-Type", "application/json");
                    ex.sendResponseHeaders(401, refusal.length);
                    ex.getResponseBody().write(refusal);
                    return;
                }
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + ex.getRequestURI()))
                        .timeout(Duration.ofSeconds(60))
                        .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
                String type = ex.getRequestHeaders().getFirst("Content-Type");
                if (type != null) {
                    b.header("Content-Type", type);
                }
                HttpResponse<byte[]> r = upstream.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                for (String h : List.of("Content-Type", "X-Elastic-Product")) {
                    r.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().add(h, v));
                }
                boolean noBody = ex.getRequestMethod().equals("HEAD") || r.body().length == 0;
                ex.sendResponseHeaders(r.statusCode(), noBody ? -1 : r.body().length);
                if (!noBody) {
                    ex.getResponseBody().write(r.body());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
    }

    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The CA's SHA-256 fingerprint as Elasticsearch prints it: upper-case hex pairs with colons. */
    String caFingerprint() throws Exception {
        Certificate c;
        try (InputStream in = Files.newInputStream(caPem)) {
            c = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        String hex = caravan.search.SearchTls.sha256(c).toUpperCase(java.util.Locale.ROOT);
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < hex.length(); i += 2) {
            pairs.add(hex.substring(i, i + 2));
        }
        return String.join(":", pairs);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD));
        if (List.of(args).contains("-genkeypair")) {
            cmd.addAll(List.of("-keypass", PASSWORD));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
